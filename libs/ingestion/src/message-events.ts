import { encodeEvent, SCHEMA_HEADER, Topics, type MessageReceivedEvent } from '@hookline/contracts';
import { traceHeaders, type Context } from '@hookline/tracing';
import type { UnpublishedMessage } from '@hookline/persistence';
import type { OutgoingRecord } from '@hookline/transport';

/**
 * The `hookline.messages.received.v1` record of one run of a message. `trace`: the context it
 * continues when that is not the active one (a batch of requests' messages); tracing off, none.
 */
export function messageReceivedRecord(event: MessageReceivedEvent, trace?: Context): OutgoingRecord {
  return {
    key: event.messageId,
    value: encodeEvent(event),
    headers: { [SCHEMA_HEADER]: Topics.MessagesReceived, ...(trace ? traceHeaders(trace) : {}) },
  };
}

/** The record of a stored run, as the outbox relay and resubmissions publish it. */
export const storedMessageRecord = (m: UnpublishedMessage, trace?: Context): OutgoingRecord =>
  messageReceivedRecord(
    {
      messageId: m.id,
      run: m.run,
      runStartedAt: m.runStartedAt,
      request: m.request,
      replyTo: m.replyTo ? { correlationId: m.replyTo } : null,
      resubmittedBy: m.resubmittedBy,
    },
    trace,
  );
