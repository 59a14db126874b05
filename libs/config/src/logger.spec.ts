import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { createLogger } from './logger';

describe('createLogger', () => {
  const capture = () => {
    const lines: Array<Record<string, unknown>> = [];
    return { lines, destination: { write: (line: string) => void lines.push(JSON.parse(line)) } };
  };
  afterEach(() => jest.restoreAllMocks());

  it('logs line after line with fields and no trace ids while no span is active', () => {
    const { lines, destination } = capture();
    const log = createLogger('test', 'info', destination);
    log.info({ messageId: 'a' }, 'one');
    log.warn({ messageId: 'b', kafka: { broker: 'x' } }, 'two');
    expect(lines).toEqual([
      expect.objectContaining({ messageId: 'a', msg: 'one', service: 'test' }),
      expect.objectContaining({ messageId: 'b', msg: 'two' }),
    ]);
    expect(lines.map((line) => line.traceId)).toEqual([undefined, undefined]);
  });

  it('adds the active span ids to a line logged inside it', () => {
    const { lines, destination } = capture();
    const log = createLogger('test', 'info', destination);
    const span = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };
    jest.spyOn(context, 'active').mockReturnValue(trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext(span)));
    log.info({ messageId: 'm' }, 'traced');
    expect(lines[0]).toMatchObject({ messageId: 'm', traceId: span.traceId, spanId: span.spanId });
  });
});
