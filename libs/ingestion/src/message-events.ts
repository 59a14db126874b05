import { encodeEvent, SCHEMA_HEADER, Topics, type MessageReceivedEvent } from '@hookline/contracts';
import { traceHeaders, type Context } from '@hookline/tracing';
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
