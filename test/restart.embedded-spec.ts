import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, HooklineProcess } from './harness/child-process';

const TOKEN = 'restart-test-token';

/** `npm start` killed with SIGKILL in the middle of a burst loses no acknowledged message. */
describe('the embedded process, killed and started again', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-restart-'));
  let port: number;
  let hookline: HooklineProcess;
  let base: string;

  beforeAll(async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    hookline = new HooklineProcess('apps/embedded/src/main.ts', {
      PORT: String(port),
      DATA_DIR: dataDir,
      ADMIN_TOKEN: TOKEN,
    });
    await hookline.start(`${base}/health/ready`);
  }, 120_000);
  afterAll(async () => {
    await hookline?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: await res.json() };
  };

  it('processes every acknowledged message after a SIGKILL during a burst', async () => {
    const provider = (await admin('POST', '/providers', { name: 'Any', matchScript: 'return true' })).body;
    // A little work per message, so that the kill finds messages in every state.
    await admin('POST', '/functions', {
      name: 'Work',
      providerId: provider.id,
      uri: 'burst',
      script: 'const end = Date.now() + 5; while (Date.now() < end) {} return PAYLOAD.n',
    });

    const acknowledged = new Map<string, number>();
    let refused = 0;
    const send = async (n: number) => {
      try {
        const res = await fetch(`${base}/flexdeploy/webhooks/v1/burst`, {
          method: 'POST',
          body: JSON.stringify({ n }),
        });
        if (res.status === 202) acknowledged.set((await res.json()).messageId, n);
        else refused++;
      } catch {
        refused++; // the connection died with the process: not acknowledged, the sender would retry
      }
    };
    // Twenty senders at a time; the process is killed once 150 messages have been acknowledged.
    let next = 0;
    let killed: Promise<void> | null = null;
    const sender = async () => {
      while (next < 400) {
        await send(next++);
        if (!killed && acknowledged.size >= 150) killed = hookline.kill('SIGKILL');
      }
    };
    await Promise.all(Array.from({ length: 20 }, sender));
    await hookline.kill();
    expect(acknowledged.size).toBeGreaterThanOrEqual(150);
    expect(refused).toBeGreaterThan(0);

    await hookline.start(`${base}/health/ready`);

    const deadline = Date.now() + 60_000;
    let settled: Array<{ id: string; status: string }> = [];
    for (;;) {
      settled = [];
      for (const id of acknowledged.keys()) {
        const { status, body } = await admin('GET', `/messages/${id}`);
        expect(status).toBe(200);
        settled.push({ id, status: body.status });
      }
      if (settled.every((m) => m.status === 'SUCCESS') || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(settled.filter((m) => m.status !== 'SUCCESS')).toEqual([]);
    for (const id of [...acknowledged.keys()].slice(0, 25)) {
      const { body } = await admin('GET', `/messages/${id}`);
      expect(body.executions.map((e: any) => [e.status, e.result])).toEqual([['SUCCESS', acknowledged.get(id)]]);
    }
    console.log(`restart test: ${acknowledged.size} acknowledged, ${refused} refused or cut, all processed`);
  }, 120_000);

  it('runs a function retry planned before a SIGKILL once the process is back', async () => {
    // The first test's provider matches everything: out of the way.
    for (const earlier of (await admin('GET', '/providers')).body) {
      await admin('PATCH', `/providers/${earlier.id}`, { active: false });
    }
    const provider = (await admin('POST', '/providers', { name: 'Retrying', matchScript: 'return true' })).body;
    await admin('POST', '/functions', {
      name: 'Second time lucky',
      providerId: provider.id,
      uri: 'again',
      script: "if (FLX_TRY === 1) throw new Error('first try'); return FLX_TRY",
      retry: { maxAttempts: 2, backoffMs: 2_000 },
    });
    const sent = await fetch(`${base}/flexdeploy/webhooks/v1/again`, { method: 'POST', body: '{}' });
    const { messageId } = await sent.json();
    const planned = async () => (await admin('GET', `/messages/${messageId}`)).body.executions.length === 2;
    const deadline = Date.now() + 30_000;
    while (!(await planned()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));

    await hookline.kill('SIGKILL');
    await hookline.start(`${base}/health/ready`);

    let message: any;
    for (const end = Date.now() + 30_000; Date.now() < end; await new Promise((resolve) => setTimeout(resolve, 200))) {
      message = (await admin('GET', `/messages/${messageId}`)).body;
      if (message.status !== 'PROCESSING') break;
    }
    expect(message.status).toBe('SUCCESS');
    expect(message.executions.map((e: any) => [e.try, e.status]).sort()).toEqual([
      [1, 'FAILED'],
      [2, 'SUCCESS'],
    ]);
  }, 120_000);
});
