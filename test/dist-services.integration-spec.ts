import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort, HooklineProcess } from './harness/child-process';
import { describeIntegration } from './harness/integration';

const run = promisify(execFile);
const TOKEN = 'dist-services-token';

/**
 * The distributed services as production starts them: compiled JavaScript from dist/, a migration
 * step first, and services that only check the schema (DATABASE_MIGRATE_AT_START=false).
 */
describeIntegration('the compiled services (dist/) on PostgreSQL and Kafka', () => {
  const database = `hookline_dist_${process.pid}_${Date.now()}`;
  const admin = () => new Client({ connectionString: process.env.HOOKLINE_IT_ADMIN_DATABASE_URL });
  let env: Record<string, string>;
  const services: HooklineProcess[] = [];

  beforeAll(async () => {
    const client = admin();
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
      DATABASE_MIGRATE_AT_START: 'false',
      SHUTDOWN_DELAY_MS: '200',
    };
  });
  afterAll(async () => {
    await Promise.all(services.map((service) => service.kill()));
    const client = admin();
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.end();
  });

  const start = async (app: string) => {
    const port = await freePort();
    const service = new HooklineProcess(`apps/${app}/src/main.ts`, { ...env, PORT: String(port) });
    services.push(service);
    await service.start(`http://127.0.0.1:${port}/health/ready`);
    return `http://127.0.0.1:${port}`;
  };

  it('refuse a stale schema, migrate in a step of their own, then serve a sync webhook', async () => {
    // Before the migration: a service refuses to start, naming what to run.
    const early = new HooklineProcess('apps/admin-api/src/main.ts', { ...env, PORT: String(await freePort()) });
    await expect(early.start('http://127.0.0.1:1/never', 30_000)).rejects.toThrow(/DATABASE_MIGRATE_AT_START=false/);

    const migrated = await run(process.execPath, ['dist/libs/persistence/src/migrate.cli.js'], {
      cwd: `${__dirname}/..`,
      env: { ...process.env, ...env },
    });
    expect(migrated.stdout).toMatch(/database is at .* \(\d+ applied\)/);
    // Topics first, as a deployment's set-up step would: four services creating them at once on a
    // fresh broker can read metadata before it has settled.
    await run(process.execPath, ['dist/apps/ingress/src/provision-topics.js'], {
      cwd: `${__dirname}/..`,
      env: { ...process.env, ...env },
    });

    const [adminApi, ingress] = await Promise.all([
      start('admin-api'),
      start('ingress'),
      start('matcher'),
      start('executor'),
    ]);
    const call = (path: string, body: unknown) =>
      fetch(`${adminApi}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((res) => res.json());
    const provider = await call('/providers', { name: 'Dist', matchScript: 'return true' });
    const fn = await call('/functions', {
      name: 'Echo',
      providerId: provider.id,
      uri: 'dist/echo',
      script: 'return PAYLOAD',
    });

    const res = await fetch(`${ingress}/flexdeploy/webhooks/v1/dist/echo`, {
      method: 'POST',
      headers: { 'flex-sync-webhook': 'true' },
      body: JSON.stringify({ compiled: true }),
    });
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ status: 'SUCCESS', executions: [{ status: 'SUCCESS', result: { compiled: true } }] });
    expect(await (await fetch(`${ingress}/metrics`)).text()).toMatch(
      /hookline_http_requests_total\{route="\/flexdeploy\/webhooks\/v1\/\*",method="POST",status="200"\} 1/,
    );

    // A script test: the admin API hands it to the executor over Kafka and answers what it did.
    const tested = await call(`/functions/${fn.id}/test`, { script: 'const x = null;\nreturn x.y;', request: {} });
    expect(tested).toMatchObject({ ok: false, error: { name: 'TypeError', line: 2 }, effects: [] });

    // The admin API exports the consumer lag of the matcher and the executors, per partition.
    const lag = await (await fetch(`${adminApi}/metrics`)).text();
    for (const [group, topic] of [
      ['hookline-matcher', 'hookline.messages.received.v1'],
      ['hookline-executor', 'hookline.jobs.v1'],
    ])
      expect(lag).toMatch(
        new RegExp(`hookline_consumer_lag\\{group="${group}",topic="${topic}",partition="0"\\} \\d+`),
      );

    // SIGTERM: each drains and exits 0 by itself.
    await Promise.all(services.map((service) => service.kill('SIGTERM')));
    expect(services.map((service) => service.exit?.code)).toEqual([0, 0, 0, 0]);
  }, 180_000);
});
