import { Inject, Injectable } from '@nestjs/common';
import {
  encodeEvent,
  isFinalMessage,
  SCHEMA_HEADER,
  Topics,
  type ReplyEvent,
  type ShapedResponse,
} from '@hookline/contracts';
import { RunStore } from '@hookline/persistence';
import { BUS, type Bus } from '@hookline/transport';

/** Sends the outcome of a finished run to the ingress replica waiting for it. */
@Injectable()
export class ReplyPublisher {
  constructor(
    @Inject(BUS) private readonly bus: Bus,
    private readonly runs: RunStore,
  ) {}

  /** Publishes the reply if the run has finished; safe to call again for a redelivered record. */
  async replyIfFinished(messageId: string, run: number, correlationId: string): Promise<boolean> {
    const outcome = await this.runs.outcome(messageId, run);
    if (!outcome || !isFinalMessage(outcome.status)) return false;
    const reply: ReplyEvent = {
      correlationId,
      messageId,
      run,
      status: outcome.status,
      executions: outcome.executions.map(({ response: _response, ...summary }) => summary),
      response: mergeResponses(outcome.executions.map((e) => e.response)),
    };
    await this.bus.publish(Topics.Replies, [
      { key: messageId, value: encodeEvent(reply), headers: { [SCHEMA_HEADER]: Topics.Replies } },
    ]);
    return true;
  }
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
