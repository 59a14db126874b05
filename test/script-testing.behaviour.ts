import { randomBytes } from 'node:crypto';
import { ADMIN_TOKEN, type System, type SystemOptions } from './harness/system';

/** What the script tests need of every service: the key that decrypts the provider's secret. */
export const scriptTestingEnv = (): SystemOptions => ({ SECRETS_KEYS: `t:${randomBytes(32).toString('base64')}` });

/**
 * Testing scripts before saving them, as the console does, through HTTP: the admin API hands each
 * test to an executor (over the bus) and answers what the script did, its side effects listed and
 * not performed.
 */
export function scriptTestingBehaviour(start: () => Promise<System>): void {
  let system: System;
  let providerId: string;
  let functionId: string;
  const run = Date.now();

  const call = async (method: string, path: string, body?: unknown, token = ADMIN_TOKEN) => {
    const response = await fetch(`${system.adminUrl}/api/v1/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: response.status === 204 ? null : await response.json() };
  };

  beforeAll(async () => {
    system = await start();
    const provider = await call('POST', 'providers', {
      name: `signed-${run}`,
      matchScript: "LOG.info('token is', TOKEN); return HTTP_HEADERS['x-token'] === TOKEN;",
      properties: [{ name: 'TOKEN', value: 'hush', secret: true }],
    });
    providerId = provider.body.id;
    const fn = await call('POST', 'functions', {
      name: `notify-${run}`,
      providerId,
      uri: `ci/done-${run}`,
      script:
        "await KAFKA.publish('webhooks.builds', { build: PAYLOAD.build });\n" +
        "await HTTP.request({ method: 'POST', url: 'https://chat.example.com/hook', body: 'done' });\n" +
        'return { build: PAYLOAD.build };',
    });
    functionId = fn.body.id;
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  it("runs the saved match script on a made-up request, with the provider's secrets, masked in its logs", async () => {
    const { status, body } = await call('POST', `providers/${providerId}/test`, {
      request: { uri: `ci/done-${run}`, headers: { 'X-Token': 'hush' }, body: '{}' },
    });

    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, matched: true, result: true, error: null, effects: [] });
    expect(body.logs).toEqual([expect.objectContaining({ level: 'INFO', text: 'token is ****' })]);
  });

  it('runs an edited script in its place and reports its error at its line and column', async () => {
    const { status, body } = await call('POST', `providers/${providerId}/test`, {
      script: 'const build = PAYLOAD.build;\nreturn build.id.length > 0;',
      request: { body: '{}' },
    });

    expect(status).toBe(200);
    expect(body.ok).toBe(false);
    expect(body.error).toMatchObject({ name: 'TypeError', line: 2, column: expect.any(Number) });
    const saved = await call('GET', `providers/${providerId}`);
    expect(saved.body.matchScript).toContain("HTTP_HEADERS['x-token']");
  });

  it("reports a function script's error at its line, with what it logged before", async () => {
    const { status, body } = await call('POST', `functions/${functionId}/test`, {
      script: "LOG.info('starting');\nconst target = PAYLOAD.deploy;\n\nreturn target.environment.name;",
      request: { body: '{"build":7}' },
    });

    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: false, result: null, effects: [] });
    expect(body.error).toMatchObject({ name: 'TypeError', line: 4, column: expect.any(Number) });
    expect(body.error.message).toContain('line 4');
    expect(body.logs).toEqual([expect.objectContaining({ level: 'INFO', text: 'starting' })]);
  });

  it('answers 400 with line and column for a script that does not parse', async () => {
    const { status, body } = await call('POST', `functions/${functionId}/test`, {
      script: 'return {;',
      request: {},
    });

    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'script_syntax_error', field: 'script', line: 1, column: 9 });
  });

  it('lists the side effects a function would perform, against a stored message, without performing them', async () => {
    const sent = await fetch(`${system.ingressUrls[0]}/flexdeploy/webhooks/v1/ci/done-${run}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-token': 'nope' },
      body: JSON.stringify({ build: 42 }),
    });
    const { messageId } = (await sent.json()) as { messageId: string };

    const { status, body } = await call('POST', `functions/${functionId}/test`, { messageId });

    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, result: { build: 42 }, error: null });
    expect(body.effects).toEqual([
      { type: 'KAFKA.publish', topic: 'webhooks.builds', value: { build: 42 }, key: null },
      expect.objectContaining({
        type: 'HTTP.request',
        method: 'POST',
        url: 'https://chat.example.com/hook',
        body: 'done',
      }),
    ]);
  });

  it('is for admins, and a stored message needs the details permission', async () => {
    const viewer = await call('POST', 'tokens', { name: `script-viewer-${run}`, role: 'viewer', details: true });
    const blind = await call('POST', 'tokens', { name: `script-blind-admin-${run}`, role: 'admin' });

    const byViewer = await call('POST', `providers/${providerId}/test`, { request: {} }, viewer.body.secret);
    const onMessage = await call(
      'POST',
      `providers/${providerId}/test`,
      { messageId: '01900000-0000-7000-8000-000000000000' },
      blind.body.secret,
    );
    const onRequest = await call('POST', `providers/${providerId}/test`, { request: {} }, blind.body.secret);

    expect(byViewer.status).toBe(403);
    expect(onMessage.status).toBe(403);
    expect(onRequest.status).toBe(200);
  });
}
