import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { createLogger, loadConfig } from '@hookline/config';
import { until } from '@hookline/testing';
import { contextWithSpan, inSpan, startSpan, startTracing, stopTracing, traceHeaders } from '@hookline/tracing';
import type { IncomingRecord } from './bus';
import { MemoryBus } from './memory-bus';
import { TracedBus } from './traced-bus';
import { createBus } from './transport.module';

const logger = createLogger('test', 'silent');
const MESSAGE = '01934b6e-0000-7000-8000-000000000001';
const OTHER = '01934b6e-0000-7000-8000-000000000002';

describe('TracedBus', () => {
  it('is not used while tracing is off: the bus is the plain one', () => {
    expect(createBus(loadConfig({}))).toBeInstanceOf(MemoryBus);
  });

  describe('with tracing on', () => {
    const exporter = new InMemorySpanExporter();
    beforeAll(() => startTracing(loadConfig({}).tracing, 'test', { exporter }));
    afterAll(() => stopTracing());
    beforeEach(() => exporter.reset());

    const finished = (name: string) => exporter.getFinishedSpans().filter((span) => span.name === name);
    const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

    it('carries the active trace through a record: producer span, then a consumer span under it', async () => {
      const bus = createBus(loadConfig({}));
      expect(bus).toBeInstanceOf(TracedBus);
      await bus.provision(['t']);
      const seen: IncomingRecord[] = [];
      await bus.subscribe({ topic: 't', groupId: 'g', fromBeginning: true, concurrency: 1 }, async (record) => {
        seen.push(record);
      });

      await inSpan('request', {}, () => bus.publish('t', [{ key: MESSAGE, value: Buffer.from('x') }]));
      await until(() => finished('t process').length === 1, { what: 'the consumer span' });

      const [request] = finished('request');
      const [producer] = finished('t publish');
      const [consumer] = finished('t process');
      expect(parentOf(producer)).toBe(request.spanContext().spanId);
      expect(parentOf(consumer)).toBe(producer.spanContext().spanId);
      expect(consumer.spanContext().traceId).toBe(request.spanContext().traceId);
      expect(consumer.attributes).toMatchObject({
        'hookline.message.id': MESSAGE,
        'messaging.consumer.group.name': 'g',
      });
      expect(seen[0].headers.traceparent).toBe(
        `00-${producer.spanContext().traceId}-${producer.spanContext().spanId}-01`,
      );
    });

    it('gives records that name their own parent a producer span each, in their own traces', async () => {
      const bus = new TracedBus(new MemoryBus({ partitions: 2, logger }));
      await bus.provision(['t']);
      await bus.subscribe({ topic: 't', groupId: 'g', fromBeginning: true, concurrency: 4 }, async () => undefined);
      const a = startSpan('a', { root: true });
      const b = startSpan('b', { root: true });
      await bus.publish('t', [
        { key: MESSAGE, value: Buffer.from('1'), headers: traceHeaders(contextWithSpan(a)) },
        { key: OTHER, value: Buffer.from('2'), headers: traceHeaders(contextWithSpan(b)) },
      ]);
      a.end();
      b.end();
      await until(() => finished('t process').length === 2, { what: 'both consumer spans' });

      const producers = finished('t publish');
      expect(producers.map((span) => span.spanContext().traceId).sort()).toEqual(
        [a.spanContext().traceId, b.spanContext().traceId].sort(),
      );
      for (const consumer of finished('t process')) {
        const producer = producers.find((span) => span.spanContext().spanId === parentOf(consumer))!;
        expect(producer.attributes['hookline.message.id']).toBe(consumer.attributes['hookline.message.id']);
      }
    });

    it('records a failed publication on its span', async () => {
      const inner = new MemoryBus({ partitions: 1, logger });
      await inner.provision(['t']);
      await inner.close();
      await expect(new TracedBus(inner).publish('t', [{ key: MESSAGE, value: null as never }])).rejects.toThrow(
        /closed/,
      );
      expect(finished('t publish')[0].status).toMatchObject({ code: 2, message: 'the in-process bus is closed' });
    });
  });
});
