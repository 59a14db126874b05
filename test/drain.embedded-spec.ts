import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, HooklineProcess } from './harness/child-process';

const TOKEN = 'drain-test-token';
const DELAY_MS = 1_500;

/**
 * SIGTERM under load: readiness turns 503 first, requests keep being answered during the delay,
 * no request the process accepted is cut off, the process exits by itself, and after a restart
 * every acknowledged message has run its function exactly once.
 */
describe('the embedded process, stopped with SIGTERM under load', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-drain-'));
  let base: string;
  let hookline: HooklineProcess;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    hookline = new HooklineProcess('apps/embedded/src/main.ts', {
      PORT: String(port),
      DATA_DIR: dataDir,
      ADMIN_TOKEN: TOKEN,
      SHUTDOWN_DELAY_MS: String(DELAY_MS),
    });
    await hookline.start(`${base}/health/ready`);
  });
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

  it('answers every request it accepted, exits by itself, and handles each message once', async () => {
    const provider = (await admin('POST', '/providers', { name: 'Any', matchScript: 'return true' })).body;
    await admin('POST', '/functions', {
      name: 'Work',
      providerId: provider.id,
      uri: 'drain',
      script: 'const end = Date.now() + 5; while (Date.now() < end) {} return PAYLOAD.n',
    });

    const acknowledged = new Map<string, number>();
    const answered = new Map<number, number>(); // status -> count, every answer other than 202 included
    const failures: string[] = [];
    const send = async (n: number) => {
      try {
        const res = await fetch(`${base}/flexdeploy/webhooks/v1/drain`, {
          method: 'POST',
          body: JSON.stringify({ n }),
        });
        const body = await res.json();
        answered.set(res.status, (answered.get(res.status) ?? 0) + 1);
        if (res.status === 202) acknowledged.set(body.messageId, n);
      } catch (error) {
        // Refused means the listener was closed before the request was sent: the sender retries.
        const code = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
        if (code !== 'ECONNREFUSED') failures.push(code);
      }
    };

    // The senders stand in for a load balancer: they stop routing new requests once readiness has
    // answered 503 (it probes every 50 ms). Whatever was sent until then must be answered.
    let next = 0;
    let routing = true;
    let readiness: number[] = [];
    let terminated: Promise<void> | null = null;
    const sender = async () => {
      while (routing && next < 5_000) {
        await send(next++);
        if (!terminated && acknowledged.size >= 100) terminated = hookline.kill('SIGTERM');
      }
    };
    const loadBalancer = async () => {
      while (routing) {
        const status = await fetch(`${base}/health/ready`).then(
          (r) => r.status,
          () => 0,
        );
        if (terminated) readiness.push(status);
        if (status !== 200) routing = false;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const started = Date.now();
    await Promise.all([...Array.from({ length: 10 }, sender), loadBalancer()]);
    await terminated;
    const stoppedAfterMs = Date.now() - started;

    expect(failures).toEqual([]);
    // Readiness turned 503 while the process still served (not: the listener vanished).
    expect(readiness[readiness.length - 1]).toBe(503);
    expect(acknowledged.size).toBeGreaterThan(100);
    expect(hookline.exit).toEqual(expect.objectContaining({ code: 0 }));
    readiness = [];

    await hookline.start(`${base}/health/ready`);
    const deadline = Date.now() + 60_000;
    let unfinished: string[] = [];
    for (;;) {
      unfinished = [];
      for (const id of acknowledged.keys()) {
        const { body } = await admin('GET', `/messages/${id}`);
        if (body.status !== 'SUCCESS') unfinished.push(`${id}: ${body.status}`);
      }
      if (unfinished.length === 0 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(unfinished).toEqual([]);
    const handledTwice: string[] = [];
    for (const [id, n] of acknowledged) {
      const { body } = await admin('GET', `/messages/${id}`);
      const runs = body.executions.map((e: { status: string; result: unknown; attempt: number }) => [
        e.status,
        e.result,
        e.attempt,
      ]);
      if (JSON.stringify(runs) !== JSON.stringify([['SUCCESS', n, 1]]))
        handledTwice.push(`${id}: ${JSON.stringify(runs)}`);
    }
    expect(handledTwice).toEqual([]);
    console.log(
      `drain test: ${acknowledged.size} acknowledged, answers ${JSON.stringify(Object.fromEntries(answered))}, ` +
        `SIGTERM to exit within ${stoppedAfterMs} ms of the first request, every message run once`,
    );
  }, 120_000);

  it('answers a sync request still waiting when the delay ends 503 draining, with its message id', async () => {
    const provider = (await admin('POST', '/providers', { name: 'Waits', matchScript: "return URI === 'wait'" })).body;
    await admin('POST', '/functions', {
      name: 'Waits',
      providerId: provider.id,
      uri: 'wait',
      script: 'await new Promise(() => {})', // until SCRIPT_TIMEOUT_MS (5 s): longer than the delay
    });
    await admin('PUT', '/providers/order', {
      ids: [provider.id, ...(await admin('GET', '/providers')).body.map((p: { id: string }) => p.id)].filter(
        (id, i, all) => all.indexOf(id) === i,
      ),
    });

    const waiting = fetch(`${base}/flexdeploy/webhooks/v1/wait`, {
      method: 'POST',
      headers: { 'flex-sync-webhook': 'true' },
      body: '{}',
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stopped = hookline.kill('SIGTERM');
    const res = await waiting;

    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ error: 'draining', messageId: expect.any(String) });
    await stopped;
    expect(hookline.exit).toEqual(expect.objectContaining({ code: 0 }));
  }, 60_000);
});

describe('the embedded process, sent a diagnostics signal', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-signal-'));
  let hookline: HooklineProcess;

  afterAll(async () => {
    await hookline?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes its diagnostic report on SIGUSR2 and keeps serving', async () => {
    const port = await freePort();
    const reports = join(dataDir, 'reports');
    mkdirSync(reports);
    hookline = new HooklineProcess('apps/embedded/src/main.ts', {
      PORT: String(port),
      DATA_DIR: join(dataDir, 'data'),
      ADMIN_TOKEN: TOKEN,
      NODE_OPTIONS: `--report-on-signal --report-signal=SIGUSR2 --report-directory=${reports}`,
    });
    await hookline.start(`http://127.0.0.1:${port}/health/ready`);

    hookline.signal('SIGUSR2');
    const deadline = Date.now() + 10_000;
    while (readdirSync(reports).length === 0) {
      if (Date.now() > deadline) throw new Error(`no report within 10 s:\n${hookline.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Longer than a drain's delay would take to turn readiness 503.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    expect(hookline.exit).toBeNull();
    expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
  }, 60_000);
});
