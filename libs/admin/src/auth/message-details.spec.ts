import { seedMessage } from '../testing/admin-routes';
import { createAdminTestApp, START_TIMEOUT_MS, type AdminTestApp } from '../testing/admin-test-app';

describe('message details (headers, query strings, payloads)', () => {
  let t: AdminTestApp;
  let withDetails: string;
  let withoutDetails: string;
  let messageId: string;

  const as = (secret: string, url: string) =>
    t.request({ method: 'GET', url, headers: { authorization: `Bearer ${secret}` } });

  beforeAll(async () => {
    t = await createAdminTestApp();
    const token = async (name: string, details: boolean) =>
      (await t.request({ method: 'POST', url: '/api/v1/tokens', payload: { name, role: 'viewer', details } })).json()
        .secret;
    withDetails = await token('auditor', true);
    withoutDetails = await token('dashboard', false);
    messageId = (await seedMessage(t)).id;
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await t.close();
  });

  it('leaves headers and query out of a message for a token without details', async () => {
    const response = await as(withoutDetails, `/api/v1/messages/${messageId}`);

    expect(response.statusCode).toBe(200);
    const message = response.json();
    expect(message).not.toHaveProperty('headers');
    expect(message).not.toHaveProperty('query');
    expect(message).toMatchObject({ id: messageId, uri: 'permissions/test', contentType: 'application/json' });
    expect(response.body).not.toContain('sender-secret');
    expect(response.body).not.toContain('query-secret');
  });

  it('shows them to a token with details', async () => {
    const message = (await as(withDetails, `/api/v1/messages/${messageId}`)).json();

    expect(message.headers).toEqual({ 'content-type': 'application/json', authorization: 'Bearer sender-secret' });
    expect(message.query).toEqual({ token: 'query-secret' });
  });

  it('refuses the payload to a token without details', async () => {
    const response = await as(withoutDetails, `/api/v1/messages/${messageId}/payload`);

    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({
      error: 'forbidden',
      message:
        "token 'dashboard' may not see message details (headers, query strings and payloads): it has no details permission",
    });
  });

  it('gives the payload to a token with details', async () => {
    const response = await as(withDetails, `/api/v1/messages/${messageId}/payload`);

    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('{"card":"4242"}');
  });
});
