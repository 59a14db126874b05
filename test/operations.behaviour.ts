import { Client } from './harness/http';
import { resetSystem, type System } from './harness/system';

const eventually = async <T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

/**
 * What operators do every day, through HTTP on a running deployment: find messages, list
 * executions, resubmit failures in bulk, and read the audit log of what they changed.
 */
export function operationsBehaviour(start: () => Promise<System>): void {
  let system: System;
  let client: Client;
  let ids: { ok: string[]; failed: string[] };
  let provider: { id: string };
  let failing: { id: string };

  beforeAll(async () => {
    system = await start();
    client = new Client(system);
    await resetSystem(system);
    provider = await client.provider({ name: 'CI', matchScript: 'return true' });
    await client.fn({
      name: 'Build',
      providerId: provider.id,
      uri: 'build',
      script: 'LOG.setMessage("built " + PAYLOAD.n); return PAYLOAD.n',
    });
    failing = await client.fn({
      name: 'Deploy',
      providerId: provider.id,
      uri: 'deploy',
      script: 'if (PAYLOAD.n % 2) throw new Error("deploy " + PAYLOAD.n + " refused"); return "deployed"',
    });
    ids = { ok: [], failed: [] };
    for (let n = 0; n < 6; n++) {
      const build = await client.webhook('build', { sync: true, body: JSON.stringify({ n }) });
      ids.ok.push(build.body.messageId);
      const deploy = await client.webhook('deploy', { sync: true, body: JSON.stringify({ n }) });
      (deploy.status === 500 ? ids.failed : ids.ok).push(deploy.body.messageId);
    }
  });
  afterAll(() => system?.stop());

  it('filters the message history by status, function, URI and text, newest first, a page at a time', async () => {
    const failed = await client.admin('GET', `/messages?status=FAILED&providerId=${provider.id}`);
    const byFunction = await client.admin('GET', `/messages?functionId=${failing.id}`);
    const text = await client.admin('GET', '/messages?q=refused');
    const page1 = await client.admin('GET', '/messages?uri=build&limit=4');
    const page2 = await client.admin('GET', `/messages?uri=build&limit=4&cursor=${page1.body.nextCursor}`);

    expect(failed.body.items.map((m: any) => m.id)).toEqual([...ids.failed].reverse());
    expect(byFunction.body.items).toHaveLength(6);
    expect(text.body.items.map((m: any) => m.id).sort()).toEqual([...ids.failed].sort());
    expect([...page1.body.items, ...page2.body.items].map((m: any) => m.uri)).toEqual(Array(6).fill('build'));
    expect(page2.body.nextCursor).toBeNull();
    expect((await client.admin('GET', '/messages?status=NOPE')).body).toMatchObject({
      error: 'validation_failed',
      field: 'status',
    });
  });

  it('lists executions on their own with the same filters', async () => {
    const res = await client.admin('GET', `/executions?status=FAILED&functionId=${failing.id}`);

    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(3);
    expect(res.body.items[0]).toMatchObject({
      functionName: 'Deploy',
      status: 'FAILED',
      uri: 'deploy',
      providerId: provider.id,
    });
  });

  it('resubmits every failed message of a provider in bulk, tracked to the end', async () => {
    await client.admin('PATCH', `/functions/${failing.id}`, { script: 'return "deployed after fix"' });

    const started = await client.admin('POST', '/resubmissions', {
      filter: { status: 'FAILED', providerId: provider.id },
      ratePerSecond: 50,
    });

    expect(started.status).toBe(202);
    const finished = await eventually(
      async () => (await client.admin('GET', `/resubmissions/${started.body.id}`)).body,
      (op) => op.status === 'DONE' || op.status === 'FAILED',
      'the bulk resubmission',
    );
    expect(finished).toMatchObject({ status: 'DONE', total: 3, done: 3, skipped: 0, failed: 0, requestedBy: 'admin' });
    for (const id of ids.failed) {
      const message = await client.settled(id);
      expect(message.status).toBe('SUCCESS');
      expect(message.executions.map((e: any) => [e.status, e.resubmittedBy])).toEqual([
        ['FAILED', null],
        ['SUCCESS', 'admin'],
      ]);
    }
    const untouched = await client.message(ids.ok[0]);
    expect(untouched.body.executions).toHaveLength(1);
  });

  it('keeps an audit log of configuration changes and resubmissions, with who did them', async () => {
    const res = await client.admin('GET', '/audit?limit=200');

    const actions = res.body.items.map((entry: any) => `${entry.tokenName} ${entry.action}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'admin provider.create',
        'admin function.create',
        'admin function.update',
        'admin resubmission.create',
      ]),
    );
    const update = res.body.items.find((entry: any) => entry.action === 'function.update');
    expect(update.before.script).toContain('refused');
    expect(update.after.script).toBe('return "deployed after fix"');
  });
}
