import { encodeEvent, SCHEMA_HEADER, Topics, type MessageReceivedEvent } from '@hookline/contracts';
import type { OutgoingRecord } from '@hookline/transport';

/** The `hookline.messages.received.v1` record of one run of a message. */
export function messageReceivedRecord(event: MessageReceivedEvent): OutgoingRecord {
  return {
    key: event.messageId,
    value: encodeEvent(event),
    headers: { [SCHEMA_HEADER]: Topics.MessagesReceived },
  };
}
