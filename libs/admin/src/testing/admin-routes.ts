import { v7 as uuidv7 } from 'uuid';
import { MessageStatus } from '@hookline/contracts';
import { ApiTokenStore, DeadLetterStore, ResubmissionStore, type NewMessage } from '@hookline/persistence';
import type { Role } from '../auth/roles';
import { newTokenSecret, secretSha256 } from '../auth/token-secret';
import type { AdminTestApp } from './admin-test-app';

/** A request ready to send: what `prepare` of a route returns. */
export interface PreparedRequest {
  url: string;
  payload?: object;
}

/** An admin route, the least role it needs, and how to make a request to it that succeeds. */
export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As Nest declares it (`:id`), and as the OpenAPI document names it after `{id}` is put back. */
  path: string;
  role: Role;
  details?: boolean;
  /** Builds a request that succeeds for a token allowed to make it; fresh targets for each call. */
  prepare(t: AdminTestApp): Promise<PreparedRequest>;
}

/** Stores a finished message (so it may be resubmitted), with headers and a query string. */
export async function seedMessage(t: AdminTestApp, fields: Partial<NewMessage> = {}): Promise<NewMessage> {
  const message: NewMessage = {
    id: uuidv7(),
    method: 'POST',
    uri: 'permissions/test',
    query: { token: 'query-secret' },
    headers: { 'content-type': 'application/json', authorization: 'Bearer sender-secret' },
    remoteAddr: '203.0.113.9',
    contentType: 'application/json',
    body: Buffer.from('{"card":"4242"}'),
    receivedAt: new Date(),
    replyTo: null,
    ...fields,
  };
  await t.messages.insertMany([message]);
  await t.db.query(`UPDATE messages SET status = $2, published_at = now() WHERE id = $1`, [
    message.id,
    MessageStatus.Success,
  ]);
  return message;
}

/** A dead letter of the matcher about a finished message (so that retrying it resubmits the message). */
export async function seedDeadLetter(t: AdminTestApp): Promise<string> {
  const message = await seedMessage(t);
  const deadLetterId = uuidv7();
  await new DeadLetterStore(t.db).record({
    deadLetterId,
    groupId: 'hookline-matcher',
    sourceTopic: 'hookline.messages.received.v1',
    partition: 0,
    offset: '7',
    key: message.id,
    messageId: message.id,
    attempts: 5,
    error: 'Error: poisoned',
    failedAt: new Date().toISOString(),
    headers: {},
    value: Buffer.from('{}').toString('base64'),
  });
  return deadLetterId;
}

let names = 0;
/** A name no other test uses. */
export const uniqueName = (prefix: string): string => `${prefix}-${process.pid}-${++names}-${Date.now()}`;

async function newProvider(t: AdminTestApp): Promise<string> {
  const response = await t.request({
    method: 'POST',
    url: '/api/v1/providers',
    payload: { name: uniqueName('provider'), matchScript: 'return false' },
  });
  if (response.statusCode !== 201) throw new Error(`creating a provider failed: ${response.body}`);
  return response.json().id;
}

async function newFunction(t: AdminTestApp): Promise<string> {
  const response = await t.request({
    method: 'POST',
    url: '/api/v1/functions',
    payload: { name: uniqueName('fn'), providerId: await newProvider(t), uri: 'permissions/test', script: 'return 1' },
  });
  if (response.statusCode !== 201) throw new Error(`creating a function failed: ${response.body}`);
  return response.json().id;
}

async function newResubmission(t: AdminTestApp): Promise<string> {
  const id = uuidv7();
  await new ResubmissionStore(t.db).create({
    id,
    filter: { status: MessageStatus.Failed },
    ratePerSecond: 1,
    requestedBy: 'admin',
  });
  return id;
}

async function newToken(t: AdminTestApp): Promise<string> {
  const id = uuidv7();
  await new ApiTokenStore(t.db).create({
    id,
    name: uniqueName('token'),
    role: 'viewer',
    details: false,
    secretSha256: secretSha256(newTokenSecret()),
    createdBy: 'admin',
  });
  return id;
}

const at = (url: string) => async (): Promise<PreparedRequest> => ({ url });

/**
 * Every route of the admin API with the role it needs: the permission matrix of docs/admin-api.md.
 * The OpenAPI spec checks that the API has no route missing here.
 */
export const ADMIN_ROUTES: AdminRoute[] = [
  { method: 'GET', path: '/api/v1/session', role: 'viewer', prepare: at('/api/v1/session') },
  { method: 'GET', path: '/api/v1/providers', role: 'viewer', prepare: at('/api/v1/providers') },
  {
    method: 'POST',
    path: '/api/v1/providers',
    role: 'admin',
    prepare: async () => ({
      url: '/api/v1/providers',
      payload: { name: uniqueName('provider'), matchScript: 'return false' },
    }),
  },
  {
    method: 'PUT',
    path: '/api/v1/providers/order',
    role: 'admin',
    prepare: async (t) => {
      const providers: Array<{ id: string }> = (await t.request({ method: 'GET', url: '/api/v1/providers' })).json();
      return { url: '/api/v1/providers/order', payload: { ids: providers.map((p) => p.id) } };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/providers/:id',
    role: 'viewer',
    prepare: async (t) => ({ url: `/api/v1/providers/${await newProvider(t)}` }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/providers/:id',
    role: 'admin',
    prepare: async (t) => ({ url: `/api/v1/providers/${await newProvider(t)}`, payload: { description: 'changed' } }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/providers/:id',
    role: 'admin',
    prepare: async (t) => ({ url: `/api/v1/providers/${await newProvider(t)}` }),
  },
  { method: 'GET', path: '/api/v1/provider-templates', role: 'viewer', prepare: at('/api/v1/provider-templates') },
  {
    method: 'POST',
    path: '/api/v1/providers/:id/test',
    role: 'admin',
    prepare: async (t) => ({ url: `/api/v1/providers/${await newProvider(t)}/test`, payload: { request: {} } }),
  },
  {
    method: 'GET',
    path: '/api/v1/provider-templates/:id',
    role: 'viewer',
    prepare: at('/api/v1/provider-templates/github'),
  },
  { method: 'GET', path: '/api/v1/functions', role: 'viewer', prepare: at('/api/v1/functions') },
  {
    method: 'POST',
    path: '/api/v1/functions',
    role: 'admin',
    prepare: async (t) => ({
      url: '/api/v1/functions',
      payload: {
        name: uniqueName('fn'),
        providerId: await newProvider(t),
        uri: 'permissions/test',
        script: 'return 1',
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/functions/:id',
    role: 'viewer',
    prepare: async (t) => ({ url: `/api/v1/functions/${await newFunction(t)}` }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/functions/:id',
    role: 'admin',
    prepare: async (t) => ({ url: `/api/v1/functions/${await newFunction(t)}`, payload: { active: false } }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/functions/:id',
    role: 'admin',
    prepare: async (t) => ({ url: `/api/v1/functions/${await newFunction(t)}` }),
  },
  {
    method: 'POST',
    path: '/api/v1/functions/:id/test',
    role: 'admin',
    prepare: async (t) => ({ url: `/api/v1/functions/${await newFunction(t)}/test`, payload: { request: {} } }),
  },
  { method: 'GET', path: '/api/v1/messages', role: 'viewer', prepare: at('/api/v1/messages') },
  { method: 'GET', path: '/api/v1/messages/stats', role: 'viewer', prepare: at('/api/v1/messages/stats') },
  {
    method: 'GET',
    path: '/api/v1/messages/:id',
    role: 'viewer',
    prepare: async (t) => ({ url: `/api/v1/messages/${(await seedMessage(t)).id}` }),
  },
  {
    method: 'GET',
    path: '/api/v1/messages/:id/payload',
    role: 'viewer',
    details: true,
    prepare: async (t) => ({ url: `/api/v1/messages/${(await seedMessage(t)).id}/payload` }),
  },
  {
    method: 'POST',
    path: '/api/v1/messages/:id/resubmit',
    role: 'operator',
    prepare: async (t) => ({ url: `/api/v1/messages/${(await seedMessage(t)).id}/resubmit` }),
  },
  { method: 'GET', path: '/api/v1/executions', role: 'viewer', prepare: at('/api/v1/executions') },
  {
    method: 'POST',
    path: '/api/v1/resubmissions',
    role: 'operator',
    prepare: async () => ({ url: '/api/v1/resubmissions', payload: { filter: { status: 'FAILED' } } }),
  },
  { method: 'GET', path: '/api/v1/resubmissions', role: 'viewer', prepare: at('/api/v1/resubmissions') },
  {
    method: 'GET',
    path: '/api/v1/resubmissions/:id',
    role: 'viewer',
    prepare: async (t) => ({ url: `/api/v1/resubmissions/${await newResubmission(t)}` }),
  },
  {
    method: 'POST',
    path: '/api/v1/resubmissions/:id/cancel',
    role: 'operator',
    prepare: async (t) => ({ url: `/api/v1/resubmissions/${await newResubmission(t)}/cancel` }),
  },
  {
    method: 'POST',
    path: '/api/v1/tokens',
    role: 'admin',
    prepare: async () => ({ url: '/api/v1/tokens', payload: { name: uniqueName('token'), role: 'viewer' } }),
  },
  { method: 'GET', path: '/api/v1/tokens', role: 'admin', prepare: at('/api/v1/tokens') },
  {
    method: 'DELETE',
    path: '/api/v1/tokens/:id',
    role: 'admin',
    prepare: async (t) => ({ url: `/api/v1/tokens/${await newToken(t)}` }),
  },
  { method: 'GET', path: '/api/v1/audit', role: 'admin', prepare: at('/api/v1/audit') },
  { method: 'GET', path: '/api/v1/dead-letters', role: 'operator', prepare: at('/api/v1/dead-letters') },
  {
    method: 'GET',
    path: '/api/v1/dead-letters/:id',
    role: 'operator',
    prepare: async (t) => ({ url: `/api/v1/dead-letters/${await seedDeadLetter(t)}` }),
  },
  {
    method: 'POST',
    path: '/api/v1/dead-letters/:id/retry',
    role: 'operator',
    prepare: async (t) => ({ url: `/api/v1/dead-letters/${await seedDeadLetter(t)}/retry` }),
  },
];
