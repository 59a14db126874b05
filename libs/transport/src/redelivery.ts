import { RpcException } from '@nestjs/microservices';
import { v7 as uuidv7 } from 'uuid';
import type { Logger } from '@hookline/config';
import { metrics } from '@hookline/metrics';
import { encodeEvent, SCHEMA_HEADER, storableText, Topics, type DeadLetterEvent } from '@hookline/contracts';
import type { Bus, IncomingRecord, RecordHandler } from './bus';

export interface RedeliveryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Pause before the second attempt; it doubles up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
}

/** What a service does once one of its consumers gave a record up: record the final state. */
export interface DeadLetterHandler {
  handle(deadLetter: DeadLetterEvent): Promise<void>;
}

/** Injection token of the service's DeadLetterHandler (optional: without it, only the topic). */
export const DEAD_LETTER_HANDLER = Symbol('DEAD_LETTER_HANDLER');

export interface RedeliveryOptions {
  groupId: string;
  policy: RedeliveryPolicy;
  bus: Bus;
  /**
   * Whether the database and the broker answer. A record that fails while they do not is not to
   * blame: it is handed back to the bus (redelivered later) instead of being dead-lettered.
   */
  healthy: () => Promise<boolean>;
  deadLetters?: DeadLetterHandler;
  /** True once the subscription closes: a record still failing is left to whoever consumes next. */
  stopping?: () => boolean;
  logger: Logger;
}

/**
 * Wraps a record handler in the bounded redelivery every consumer has: a failing record is tried
 * again with exponential backoff, `maxAttempts` times in all, the last only while the system is
 * healthy; if that one fails too while the system is still healthy it is published to `hookline.deadletter.v1`, handed to the service's dead-letter
 * handler (which ends its message or execution FAILED), and committed, so the records behind it
 * flow on. One bad record holds its partition for the backoff time at most, never for ever.
 */
export function withBoundedRedelivery(handler: RecordHandler, options: RedeliveryOptions): RecordHandler {
  const { policy, logger } = options;
  const healthy = () => options.healthy().catch(() => false);
  return async (record) => {
    let error: unknown;
    for (let attempt = 1; ; attempt++) {
      // The last attempt decides whether the record is to blame, so it runs only while the database
      // and the broker answer: failures seen during an outage that has just ended say nothing of it.
      if (attempt === policy.maxAttempts && attempt > 1 && !(await healthy())) throw error;
      try {
        return await handler(record);
      } catch (failure) {
        error = failure;
      }
      if (attempt >= policy.maxAttempts || options.stopping?.()) break;
      const delay = Math.min(policy.backoffMs * 2 ** (attempt - 1), policy.maxBackoffMs);
      logger.warn(
        {
          err: error,
          messageId: record.key,
          topic: record.topic,
          offset: record.offset,
          attempt,
          group: options.groupId,
        },
        `handling a record failed; attempt ${attempt + 1} of ${policy.maxAttempts} in ${delay} ms`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    if (options.stopping?.() || !(await healthy())) throw error;
    const deadLetter = deadLetterOf(record, options.groupId, policy.maxAttempts, error);
    logger.error(
      { err: error, messageId: record.key, topic: record.topic, offset: record.offset, group: options.groupId },
      `giving up on a record after ${policy.maxAttempts} attempts: dead-lettered as ${deadLetter.deadLetterId}`,
    );
    await options.bus.publish(Topics.DeadLetters, [
      {
        key: record.key ?? deadLetter.deadLetterId,
        value: encodeEvent(deadLetter),
        headers: { [SCHEMA_HEADER]: Topics.DeadLetters },
      },
    ]);
    await options.deadLetters?.handle(deadLetter);
    metrics.deadLetters.inc({ group: options.groupId, topic: record.topic });
  };
}

export function deadLetterOf(
  record: IncomingRecord,
  groupId: string,
  attempts: number,
  error: unknown,
): DeadLetterEvent {
  return {
    deadLetterId: uuidv7(),
    groupId,
    sourceTopic: record.topic,
    partition: record.partition,
    offset: record.offset,
    key: record.key,
    messageId: record.key && UUID.test(record.key) ? record.key : null,
    attempts,
    error: storableText(describeError(error)),
    failedAt: new Date().toISOString(),
    headers: record.headers,
    value: record.value ? record.value.toString('base64') : null,
  };
}

function describeError(error: unknown): string {
  if (error instanceof RpcException) return describeError(error.getError()); // see forBus
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return String(error);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
