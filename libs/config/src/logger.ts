import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * The active span's ids on every line logged inside it; nothing while tracing is off (no span is
 * ever active). A new object each time: pino merges the line's own fields into it.
 */
function traceIds(): object {
  const span = trace.getActiveSpan()?.spanContext();
  return span && trace.isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : {};
}

/** One JSON line per event; pass `{ messageId }` as the first argument for anything about a message. */
export function createLogger(
  name: string,
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
): Logger {
  return pino({ name, level, base: { service: name }, mixin: traceIds }, destination);
}
