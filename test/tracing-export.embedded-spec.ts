import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@hookline/testing';
import { freePort, HooklineProcess } from './harness/child-process';
import { expectConnected, OtlpReceiver, traceOfMessage } from './harness/traces';

const TOKEN = 'tracing-export-token';

/**
 * `npm start` with the standard OTEL_* variables: spans reach an OTLP/HTTP endpoint, and the log
 * lines about a message (the access log's included) carry its id and its trace id.
 */
describe('OTLP export and trace ids in logs, embedded process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-tracing-'));
  const receiver = new OtlpReceiver();
  let base: string;
  let hookline: HooklineProcess;

  beforeAll(async () => {
    await receiver.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    hookline = new HooklineProcess('apps/embedded/src/main.ts', {
      PORT: String(port),
      DATA_DIR: dataDir,
      ADMIN_TOKEN: TOKEN,
      LOG_LEVEL: 'info',
      ACCESS_LOG: 'true',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'hookline-under-test',
    });
    // A first start migrates a fresh PGlite: slow on a busy machine.
    await hookline.start(`${base}/health/ready`, 150_000);
  }, 180_000);
  afterAll(async () => {
    await hookline?.kill();
    await receiver.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const admin = (path: string, body: unknown) =>
    fetch(`${base}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((res) => res.json());

  /** The process's JSON log lines. */
  const logLines = (): Array<Record<string, any>> =>
    hookline.output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));

  it('exports one connected trace per webhook and logs its trace id with the message id', async () => {
    const provider = await admin('/providers', { name: 'Exported', matchScript: 'return true' });
    await admin('/functions', { name: 'Echo', providerId: provider.id, uri: 'exported', script: 'return 1' });

    const res = await fetch(`${base}/flexdeploy/webhooks/v1/exported?token=secret`, {
      method: 'POST',
      headers: { 'flex-sync-webhook': 'true' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    const { messageId } = await res.json();

    // The batch processor exports every few seconds.
    const trace = await eventually(
      () => receiver.spans.filter((s) => s.attributes['hookline.message.id'] === messageId),
      (spans) => spans.some((s) => s.name === 'hookline.function'),
      { what: 'the function span exported', timeoutMs: 30_000, intervalMs: 200 },
    ).then(() => traceOfMessage(receiver.spans, messageId));
    expect(expectConnected(trace).name).toBe('POST /flexdeploy/webhooks/v1/*');
    expect(new Set(trace.map((s) => s.service))).toEqual(new Set(['hookline-under-test']));
    const root = trace.find((s) => !s.parentSpanId)!;
    // The path, never the query string: it may carry tokens.
    expect(root.attributes['url.path']).toBe('/flexdeploy/webhooks/v1/exported');
    const traceId = trace[0].traceId;

    const lines = await eventually(
      logLines,
      (all) => all.some((l) => l.msg === 'executed' && l.messageId === messageId),
      { what: 'the executed log line' },
    );
    const about = lines.filter((l) => l.messageId === messageId);
    expect(about.map((l) => l.msg)).toEqual(expect.arrayContaining(['request', 'matched', 'executed']));
    for (const line of about) expect({ msg: line.msg, traceId: line.traceId }).toEqual({ msg: line.msg, traceId });
    const access = about.find((l) => l.msg === 'request')!;
    expect(access).toMatchObject({
      service: 'access',
      method: 'POST',
      route: '/flexdeploy/webhooks/v1/*',
      status: 200,
      ms: expect.any(Number),
    });
    expect(JSON.stringify(access)).not.toContain('secret');
    // Requests that create no message are logged without one.
    const admins = lines.filter((l) => l.msg === 'request' && l.route === '/api/v1/functions');
    expect(admins).toHaveLength(1);
    expect(admins[0].messageId).toBeUndefined();
  });
});
