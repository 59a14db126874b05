import { v7 as uuidv7 } from 'uuid';
import type { NewMessage } from '../stores/message.store';

/** A received webhook as the ingress stores it (an empty JSON POST), with the fields a spec cares about. */
export const newMessage = (fields: Partial<NewMessage> = {}): NewMessage => ({
  id: uuidv7(),
  method: 'POST',
  uri: 'test',
  query: {},
  headers: {},
  remoteAddr: '127.0.0.1',
  contentType: null,
  body: Buffer.from('{}'),
  receivedAt: new Date(),
  replyTo: null,
  ...fields,
});
