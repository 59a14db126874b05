import { Client as Pg } from 'pg';
import { eventually } from '@hookline/testing';
import { freePort, HooklineProcess } from './harness/child-process';
import { describeIntegration } from './harness/integration';
import { ancestry, expectConnected, OtlpReceiver, traceOfMessage } from './harness/traces';

const TOKEN = 'tracing-it-token';

/**
 * The trace of a webhook across separate processes: ingress, matcher and executors started from
 * dist/ on PostgreSQL and Kafka, each exporting its spans over OTLP/HTTP to a receiver the test
 * runs. The trace context travels only in the Kafka records' headers.
 */
describeIntegration('one trace across the distributed services', () => {
  const database = `hookline_trace_${process.pid}_${Date.now()}`;
  const pg = () => new Pg({ connectionString: process.env.HOOKLINE_IT_ADMIN_DATABASE_URL });
  const receiver = new OtlpReceiver();
  const services: HooklineProcess[] = [];
  let env: Record<string, string>;
  let adminUrl: string;
  let ingressUrl: string;

  const start = async (app: string) => {
    const port = await freePort();
    const service = new HooklineProcess(`apps/${app}/src/main.ts`, { ...env, PORT: String(port) });
    services.push(service);
    await service.start(`http://127.0.0.1:${port}/health/ready`);
    return `http://127.0.0.1:${port}`;
  };

  beforeAll(async () => {
    await receiver.start();
    const client = pg();
    await client.connect();
    await client.query(`CREATE DATABASE ${database}`);
    await client.end();
    const url = new URL(process.env.HOOKLINE_IT_ADMIN_DATABASE_URL!);
    url.pathname = `/${database}`;
    env = {
      DATABASE_URL: url.toString(),
      KAFKA_BROKERS: process.env.HOOKLINE_IT_KAFKA_BROKERS!,
      KAFKA_TOPIC_PARTITIONS: '2',
      ADMIN_TOKEN: TOKEN,
      SHUTDOWN_DELAY_MS: '200',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    };
    // The admin API migrates the fresh database before the others start.
    adminUrl = await start('admin-api');
    [ingressUrl] = await Promise.all([start('ingress'), start('matcher'), start('executor'), start('executor')]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all(services.map((service) => service.kill()));
    await receiver.stop();
    const client = pg();
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.end();
  });

  const admin = (path: string, body: unknown) =>
    fetch(`${adminUrl}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((res) => res.json());

  it('follows a sync webhook from the ingress through the matcher, which runs both functions, back to the ingress', async () => {
    const provider = await admin('/providers', { name: 'Traced', matchScript: 'return true' });
    const fns = [
      await admin('/functions', { name: 'One', providerId: provider.id, uri: 'traced', script: 'return 1' }),
      await admin('/functions', { name: 'Two', providerId: provider.id, uri: 'traced', script: 'return 2' }),
    ];

    const res = await fetch(`${ingressUrl}/flexdeploy/webhooks/v1/traced`, {
      method: 'POST',
      headers: { 'flex-sync-webhook': 'true' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    const { messageId } = await res.json();

    // Each process's batch processor exports every few seconds.
    await eventually(
      () => receiver.spans.filter((s) => s.attributes['hookline.message.id'] === messageId),
      (spans) =>
        spans.filter((s) => s.name === 'hookline.function').length === 2 &&
        spans.some((s) => s.name === 'hookline.replies.v1 process'),
      { what: 'spans of every service exported', timeoutMs: 40_000, intervalMs: 250 },
    );
    const trace = traceOfMessage(receiver.spans, messageId);
    const root = expectConnected(trace);
    expect(root).toMatchObject({ name: 'POST /flexdeploy/webhooks/v1/*', service: 'hookline-ingress' });

    const serviceOf = (name: string) => [...new Set(trace.filter((s) => s.name === name).map((s) => s.service))];
    expect(serviceOf('hookline.store')).toEqual(['hookline-ingress']);
    expect(serviceOf('hookline.messages.received.v1 publish')).toEqual(['hookline-ingress']);
    expect(serviceOf('hookline.messages.received.v1 process')).toEqual(['hookline-matcher']);
    expect(serviceOf('hookline.match_script')).toEqual(['hookline-matcher']);
    expect(serviceOf('hookline.jobs.v1 publish')).toEqual(['hookline-matcher']);
    // A sync run's functions run in the matcher that planned them (MATCHER_SYNC_RUNS).
    expect(serviceOf('hookline.sync_job')).toEqual(['hookline-matcher']);
    expect(serviceOf('hookline.function')).toEqual(['hookline-matcher']);
    expect(serviceOf('hookline.replies.v1 process')).toEqual(['hookline-ingress']);

    const functions = trace.filter((s) => s.name === 'hookline.function');
    expect(functions.map((s) => s.attributes['hookline.function.id']).sort()).toEqual(fns.map((f) => f.id).sort());
    for (const fn of functions) {
      expect(ancestry(trace, fn)).toEqual([
        'hookline.function',
        'hookline.sync_job',
        'hookline.messages.received.v1 process',
        'hookline.messages.received.v1 publish',
        'POST /flexdeploy/webhooks/v1/*',
      ]);
    }
    // The reply reaches the ingress replica in the same trace, from the job that finished the run.
    const reply = trace.find((s) => s.name === 'hookline.replies.v1 process')!;
    expect(ancestry(trace, reply).slice(0, 3)).toEqual([
      'hookline.replies.v1 process',
      'hookline.replies.v1 publish',
      'hookline.sync_job',
    ]);
  });

  it('follows an async webhook from the matcher over the jobs topic into an executor', async () => {
    const res = await fetch(`${ingressUrl}/flexdeploy/webhooks/v1/traced`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(202);
    const { messageId } = await res.json();

    await eventually(
      () => receiver.spans.filter((s) => s.attributes['hookline.message.id'] === messageId),
      (spans) => spans.filter((s) => s.name === 'hookline.function').length === 2,
      { what: 'both functions exported', timeoutMs: 40_000, intervalMs: 250 },
    );
    const trace = traceOfMessage(receiver.spans, messageId);
    expectConnected(trace);
    for (const fn of trace.filter((s) => s.name === 'hookline.function')) {
      expect(fn.service).toBe('hookline-executor');
      expect(ancestry(trace, fn)).toEqual([
        'hookline.function',
        'hookline.jobs.v1 process',
        'hookline.jobs.v1 publish',
        'hookline.messages.received.v1 process',
        'hookline.messages.received.v1 publish',
        'POST /flexdeploy/webhooks/v1/*',
      ]);
    }
  });
});
