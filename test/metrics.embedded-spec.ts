import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, HooklineProcess } from './harness/child-process';

const TOKEN = 'metrics-test-token';

/** `/metrics` in Prometheus format: the counters a dashboard reads move with the traffic. */
describe('/metrics of the embedded process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-metrics-'));
  let base: string;
  let hookline: HooklineProcess;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    hookline = new HooklineProcess('apps/embedded/src/main.ts', {
      PORT: String(port),
      DATA_DIR: dataDir,
      ADMIN_TOKEN: TOKEN,
    });
    await hookline.start(`${base}/health/ready`);
  });
  afterAll(async () => {
    await hookline?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const admin = (path: string, body: unknown) =>
    fetch(`${base}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((res) => res.json());
  const webhook = (uri: string) =>
    fetch(`${base}/flexdeploy/webhooks/v1/${uri}`, {
      method: 'POST',
      headers: { 'flex-sync-webhook': 'true' },
      body: '{}',
    });

  /** Every sample of the exposition as `name{labels}` -> value. */
  const scrape = async (): Promise<Map<string, number>> => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const samples = new Map<string, number>();
    for (const line of (await res.text()).split('\n')) {
      const match = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
      if (match) samples.set(match[1], Number(match[2]));
    }
    return samples;
  };
  const value = (samples: Map<string, number>, name: string) => samples.get(name) ?? 0;

  it('counts requests, final statuses, executions and sandbox runs', async () => {
    const provider = await admin('/providers', {
      name: 'Metrics',
      matchScript: "return HTTP_HEADERS['x-skip'] !== 'yes'",
    });
    await admin('/functions', { name: 'Ok', providerId: provider.id, uri: 'metrics/ok', script: 'return 1' });
    await admin('/functions', {
      name: 'Boom',
      providerId: provider.id,
      uri: 'metrics/fail',
      script: 'throw new Error("no")',
    });
    await admin('/functions', {
      name: 'Slow',
      providerId: provider.id,
      uri: 'metrics/slow',
      script: 'while (true) {}',
    });
    const before = await scrape();

    expect((await webhook('metrics/ok')).status).toBe(200);
    expect((await webhook('metrics/ok')).status).toBe(200);
    expect((await webhook('metrics/fail')).status).toBe(500);
    expect((await webhook('metrics/nothing-here')).status).toBe(404);
    expect((await webhook('metrics/slow')).status).toBe(500);

    const after = await scrape();
    const moved = (name: string) => value(after, name) - value(before, name);
    const route = 'route="/flexdeploy/webhooks/v1/*"';
    expect(moved(`hookline_http_requests_total{${route},method="POST",status="200"}`)).toBe(2);
    expect(moved(`hookline_http_requests_total{${route},method="POST",status="500"}`)).toBe(2);
    expect(moved(`hookline_http_requests_total{${route},method="POST",status="404"}`)).toBe(1);
    expect(moved(`hookline_http_request_duration_seconds_count{${route},method="POST"}`)).toBe(5);
    expect(moved('hookline_messages_finished_total{status="SUCCESS"}')).toBe(2);
    expect(moved('hookline_messages_finished_total{status="FAILED"}')).toBe(2);
    expect(moved('hookline_messages_finished_total{status="UNMATCHED"}')).toBe(1);
    expect(moved('hookline_executions_total{status="SUCCESS"}')).toBe(2);
    expect(moved('hookline_executions_total{status="FAILED"}')).toBe(2);
    expect(moved('hookline_execution_duration_seconds_count{status="FAILED"}')).toBe(2);
    expect(moved('hookline_sandbox_runs_total{kind="function",result="ok"}')).toBe(2);
    expect(moved('hookline_sandbox_runs_total{kind="function",result="error"}')).toBe(1);
    expect(
      moved('hookline_sandbox_runs_total{kind="function",result="CpuLimitError"}') +
        moved('hookline_sandbox_runs_total{kind="function",result="TimeoutError"}'),
    ).toBe(1);
    expect(moved('hookline_sandbox_runs_total{kind="match",result="ok"}')).toBe(5);
    // Isolate memory and CPU of every run that completed (the slow one was stopped by a limit).
    expect(moved('hookline_sandbox_heap_used_bytes_count{kind="function"}')).toBe(3);
    expect(moved('hookline_sandbox_heap_used_bytes_count{kind="match"}')).toBe(5);
    expect(moved('hookline_sandbox_heap_used_bytes_sum{kind="function"}')).toBeGreaterThan(3 * 100_000);
    expect(moved('hookline_sandbox_heap_used_bytes_bucket{le="+Inf",kind="function"}')).toBe(3);
    expect(moved('hookline_sandbox_cpu_seconds_count{kind="function"}')).toBe(3);
    expect(moved('hookline_sandbox_cpu_seconds_sum{kind="match"}')).toBeGreaterThan(0);
    // Node's own metrics come along.
    expect(value(after, 'hookline_process_resident_memory_bytes')).toBeGreaterThan(0);
    // The ingress's gauges: nobody waits now, and the outbox backlog is exported.
    expect(after.get('hookline_sync_waiters')).toBe(0);
    expect(after.has('hookline_outbox_backlog')).toBe(true);
  });
});
