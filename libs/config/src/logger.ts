import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** One JSON line per event; pass `{ messageId }` as the first argument for anything about a message. */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: { service: name } });
}
