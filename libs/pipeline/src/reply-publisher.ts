import { Inject, Injectable } from '@nestjs/common';
import { HOOKLINE_CONFIG, type HooklineConfig } from '@hookline/config';
import {
  encodeEvent,
  isFinalMessage,
  MessageStatus,
  SCHEMA_HEADER,
  Topics,
  type ReplyEvent,
  type ShapedResponse,
} from '@hookline/contracts';
import { RunStore, type RunOutcome } from '@hookline/persistence';
import { BUS, type Bus } from '@hookline/transport';

/** Who may wait for the outcome of a run. */
export interface RunWaiters {
  /** The correlation of the run's own sync request, if any. */
  replyTo: string | null;
  /**
   * Whether the message carries a dedup key, so that sync duplicates of it may be waiting too.
   * `false` spares the look-up; leave it out when unknown.
   */
  deduplicated?: boolean;
  /** The run's outcome when the caller has it already (the step that finished the run read it). */
  outcome?: RunOutcome;
}

/** Time for clocks of replicas to differ when telling which sync duplicates may still wait. */
const CLOCK_SLACK_MS = 60_000;

/**
 * Sends the outcome of a finished run to the ingress replica waiting for it, and to those holding
 * sync duplicates of the message: a duplicate gets its original's outcome.
 */
@Injectable()
export class ReplyPublisher {
  constructor(
    @Inject(HOOKLINE_CONFIG) private readonly config: HooklineConfig,
    @Inject(BUS) private readonly bus: Bus,
    private readonly runs: RunStore,
  ) {}

  /**
   * Publishes the reply if the run has finished (for a duplicate: if its original's has); safe to
   * call again for a redelivered record.
   */
  async replyIfFinished(messageId: string, run: number, correlationId: string): Promise<boolean> {
    const outcome = await this.runs.outcome(messageId, run);
    if (!outcome || !isFinalMessage(outcome.status)) return false;
    await this.publish([reply(correlationId, messageId, run, outcome)]);
    return true;
  }

  /**
   * Once a run has finished, replies to its own sync request and to every sync duplicate received
   * since a sync request could still be waiting. Nothing while it is unfinished; safe to repeat.
   */
  async replyToWaiters(messageId: string, run: number, waiters: RunWaiters): Promise<void> {
    if (!waiters.replyTo && waiters.deduplicated === false) return;
    const outcome = waiters.outcome ?? (await this.runs.outcome(messageId, run));
    if (!outcome || !isFinalMessage(outcome.status)) return;
    const replies = waiters.replyTo ? [reply(waiters.replyTo, messageId, run, outcome)] : [];
    if (outcome.deduplicated && !outcome.duplicateOf) {
      const maxAgeMs = this.config.sync.timeoutMs + CLOCK_SLACK_MS;
      for (const duplicate of await this.runs.waitingDuplicates(messageId, maxAgeMs)) {
        replies.push(
          reply(duplicate.replyTo, duplicate.messageId, duplicate.run, { ...outcome, duplicateOf: messageId }),
        );
      }
    }
    await this.publish(replies);
  }

  private async publish(replies: ReplyEvent[]): Promise<void> {
    if (replies.length === 0) return;
    await this.bus.publish(
      Topics.Replies,
      replies.map((event) => ({
        key: event.messageId,
        value: encodeEvent(event),
        headers: { [SCHEMA_HEADER]: Topics.Replies },
      })),
    );
  }
}

function reply(correlationId: string, messageId: string, run: number, outcome: RunOutcome): ReplyEvent {
  return {
    correlationId,
    messageId,
    run,
    status: outcome.status,
    executions: outcome.executions.map(({ response: _response, ...summary }) => summary),
    response: mergeResponses(outcome.executions.map((e) => e.response)),
    ...(outcome.duplicateOf ? { duplicateOf: outcome.duplicateOf } : {}),
    // A run failed before or beside its functions (dead-lettered) says why.
    ...(outcome.status === MessageStatus.Failed && outcome.message ? { message: outcome.message } : {}),
  };
}

/**
 * Several functions may shape the sync response: executions are taken in id order (the order they
 * were planned), a later status or body replaces an earlier one and headers are merged.
 */
export function mergeResponses(responses: Array<ShapedResponse | null>): ShapedResponse | null {
  let merged = null as ShapedResponse | null;
  for (const response of responses) {
    if (!response) continue;
    merged = {
      status: response.status ?? merged?.status,
      body: response.body !== undefined ? response.body : merged?.body,
      headers: { ...merged?.headers, ...response.headers },
    };
  }
  return merged;
}
