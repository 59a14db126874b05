import type { OutgoingRecord } from './bus';

/**
 * Largest record either bus takes (Kafka topics Hookline creates get it as `max.message.bytes`):
 * a webhook body of MAX_BODY_BYTES at most travels base64 inside JSON.
 */
export const MAX_RECORD_BYTES = 4 * 1024 * 1024;

/** What a record weighs against the limit: key, value and headers, plus Kafka's framing. */
export function recordBytes(record: OutgoingRecord): number {
  let bytes = 128 + Buffer.byteLength(record.key) + record.value.length;
  for (const [name, value] of Object.entries(record.headers ?? {}))
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  return bytes;
}

/** A record the bus will never take: publishing it again cannot succeed. */
export class RecordRefusedError extends Error {
  override readonly name = 'RecordRefusedError';
}

/** Throws RecordRefusedError, before anything is published, when one of `records` is over the limit. */
export function assertRecordsFit(topic: string, records: OutgoingRecord[]): void {
  for (const record of records) {
    const bytes = recordBytes(record);
    if (bytes > MAX_RECORD_BYTES) {
      throw new RecordRefusedError(
        `a record of ${bytes} bytes for ${topic} (key ${record.key}) is over the limit of ${MAX_RECORD_BYTES} bytes`,
      );
    }
  }
}

/** Kafka's answers that refuse the records themselves, whatever the broker's health. */
const REFUSING_TYPES = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE']);

/**
 * Whether `error` says the records can never be published (too large, invalid), as opposed to the
 * broker being unreachable or busy: the one is the record's fault, the other an outage.
 */
export function isRecordRefusal(error: unknown): boolean {
  for (let e = error as any, depth = 0; e && depth < 5; e = e.cause ?? e.originalError, depth++) {
    if (e instanceof RecordRefusedError) return true;
    if (typeof e.type === 'string' && REFUSING_TYPES.has(e.type)) return true;
  }
  return false;
}
