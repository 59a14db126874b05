import { Client, request, type HttpResult } from './harness/http';
import { resetSystem, type System } from './harness/system';

type Caller = 'viewer' | 'viewer+details' | 'operator' | 'admin';
const CALLERS: Caller[] = ['viewer', 'viewer+details', 'operator', 'admin'];

/**
 * API tokens, roles, the details permission and the audit log as users meet them, through HTTP:
 * a matrix of roles × routes, smaller than the unit one (libs/admin/src/auth/permissions.spec.ts)
 * but on the real deployment.
 */
export function permissionsBehaviour(start: () => Promise<System>): void {
  let system: System;
  let client: Client;
  const run = Date.now();
  const secrets = new Map<Caller, string>();
  const tokenName = (caller: Caller) => `it-${run}-${caller}`;

  const as = (secret: string, method: string, path: string, body?: unknown): Promise<HttpResult> =>
    request(`${system.adminUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${secret}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  /** A finished message, sent through an ingress replica and processed by the pipeline. */
  const finishedMessage = async (): Promise<string> => {
    const sent = await client.webhook(`permissions/${run}`, { body: '{"card":"4242"}', sync: true });
    expect(sent.status).toBe(200);
    return sent.body.messageId;
  };

  beforeAll(async () => {
    system = await start();
    client = new Client(system);
    // Earlier suites leave configuration behind; a provider of theirs that matches everything would win.
    await resetSystem(system);
    const provider = await client.provider({ name: `permissions-${run}`, matchScript: `return true` });
    await client.fn({ name: 'echo', providerId: provider.id, uri: `permissions/${run}`, script: 'return PAYLOAD' });
    for (const caller of CALLERS) {
      const [role, details] = caller.split('+');
      const created = await client.admin('POST', '/tokens', { name: tokenName(caller), role, details: !!details });
      expect(created.status).toBe(201);
      secrets.set(caller, created.body.secret);
    }
  });

  afterAll(async () => {
    // The run's database is shared by the other suites: leave no provider that matches their messages.
    await system?.db.query(`DELETE FROM providers WHERE name LIKE $1 OR name LIKE $2`, [
      `permissions-${run}`,
      `p-${run}-%`,
    ]);
    await system?.db.query(`DELETE FROM messages WHERE uri = $1`, [`permissions/${run}`]);
    await system?.stop();
  });

  const ROUTES: Array<{
    route: string;
    allowed: Caller[];
    send: (secret: string) => Promise<HttpResult>;
  }> = [
    { route: 'GET /providers', allowed: CALLERS, send: (s) => as(s, 'GET', '/api/v1/providers') },
    {
      route: 'POST /providers',
      allowed: ['admin'],
      send: (s) =>
        as(s, 'POST', '/api/v1/providers', { name: `p-${run}-${Math.random()}`, matchScript: 'return false' }),
    },
    {
      route: 'GET /messages/:id',
      allowed: CALLERS,
      send: async (s) => as(s, 'GET', `/api/v1/messages/${await finishedMessage()}`),
    },
    {
      route: 'GET /messages/:id/payload',
      allowed: ['viewer+details'],
      send: async (s) => as(s, 'GET', `/api/v1/messages/${await finishedMessage()}/payload`),
    },
    {
      route: 'POST /messages/:id/resubmit',
      allowed: ['operator', 'admin'],
      send: async (s) => as(s, 'POST', `/api/v1/messages/${await finishedMessage()}/resubmit`),
    },
    {
      route: 'POST /resubmissions',
      allowed: ['operator', 'admin'],
      send: (s) => as(s, 'POST', '/api/v1/resubmissions', { filter: { uri: `nothing/${run}` } }),
    },
    { route: 'GET /executions', allowed: CALLERS, send: (s) => as(s, 'GET', '/api/v1/executions') },
    { route: 'GET /tokens', allowed: ['admin'], send: (s) => as(s, 'GET', '/api/v1/tokens') },
    { route: 'GET /audit', allowed: ['admin'], send: (s) => as(s, 'GET', '/api/v1/audit') },
  ];
  const MATRIX = CALLERS.flatMap((caller) =>
    ROUTES.map(({ route, allowed }) => [caller, route, allowed.includes(caller) ? '2xx' : 403] as const),
  );

  it.each(MATRIX)('%s: %s → %s', async (caller, route, expected) => {
    const response = await ROUTES.find((r) => r.route === route)!.send(secrets.get(caller)!);

    const status = response.status >= 200 && response.status < 300 ? '2xx' : response.status;
    expect({ status, error: status === '2xx' ? undefined : response.body?.error }).toEqual({
      status: expected,
      error: expected === 403 ? 'forbidden' : undefined,
    });
  });

  it('hides headers and query strings from a token without details', async () => {
    const id = await finishedMessage();

    const without = await as(secrets.get('viewer')!, 'GET', `/api/v1/messages/${id}`);
    const withDetails = await as(secrets.get('viewer+details')!, 'GET', `/api/v1/messages/${id}`);

    expect(without.body).not.toHaveProperty('headers');
    expect(without.body).not.toHaveProperty('query');
    expect(withDetails.body.headers).toMatchObject({ 'flex-sync-webhook': 'true' });
  });

  it("records the operator token's name on the new run and in the audit log", async () => {
    const id = await finishedMessage();

    const resubmitted = await as(secrets.get('operator')!, 'POST', `/api/v1/messages/${id}/resubmit`);

    expect(resubmitted.status).toBe(202);
    const settled = await client.settled(id);
    expect(settled.executions.find((e: { run: number }) => e.run === 1)).toMatchObject({
      status: 'SUCCESS',
      resubmittedBy: tokenName('operator'),
    });
    const audit = await client.admin('GET', `/audit?targetId=${id}`);
    expect(audit.body.items).toMatchObject([
      { action: 'message.resubmit', tokenName: tokenName('operator'), after: { run: 1 } },
    ]);
  });

  it('stores the digest only, and shuts a revoked token out at once', async () => {
    const created = await client.admin('POST', '/tokens', { name: `it-${run}-revoked`, role: 'admin' });
    const rows = await system.db.query(`SELECT * FROM api_tokens WHERE id = $1`, [created.body.id]);
    expect(JSON.stringify(rows)).not.toContain(created.body.secret);
    expect((await as(created.body.secret, 'GET', '/api/v1/tokens')).status).toBe(200);

    expect((await client.admin('DELETE', `/tokens/${created.body.id}`)).status).toBe(204);

    const after = await as(created.body.secret, 'GET', '/api/v1/tokens');
    expect(after.status).toBe(401);
    expect(after.body.error).toBe('unauthorized');
    const audit = await client.admin('GET', `/audit?targetId=${created.body.id}`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['token.delete', 'token.create']);
  });

  it('serves the OpenAPI document without a token, listing every route under /api/v1', async () => {
    const document = await request(`${system.adminUrl}/api/docs-json`);

    expect(document.status).toBe(200);
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/tokens', '/api/v1/audit', '/api/v1/messages/{id}/payload']),
    );
    expect(Object.keys(document.body.paths).every((path) => path.startsWith('/api/v1/'))).toBe(true);
  });
}
