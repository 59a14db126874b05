import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createBenchRoute } from './admin-client';
import type { Cleanup } from './cleanup';
import { createTopic, deleteConsumerGroup } from './kafka-check';
import { AdminApiProbe, SqlProbe, type MessageProbe } from './probes';
import { spawnService, type AppName, type Service } from './processes';
import type { Report } from './report';

export const ADMIN_TOKEN = 'hookline-bench-token';

/** A Hookline started for the bench, with a provider and function on the bench URI. */
export interface Deployment {
  services: Service[];
  ingressUrl: string;
  probe: MessageProbe;
  /** Aborted when one of the services dies on its own. */
  signal: AbortSignal;
  /** From the first spawn until every service answered ready. */
  startupS: number;
}

/** Starts services whose unexpected exit aborts `controller` and is reported with the log's end. */
function launcher(scope: Cleanup, report: Report, logDir: string, controller: AbortController) {
  mkdirSync(logDir, { recursive: true });
  const services: Service[] = [];
  const start = async (name: string, app: AppName, env: Record<string, string>) => {
    const service = await spawnService({
      name,
      app,
      env: { ADMIN_TOKEN, ...env },
      logDir,
      onCrash: (crashed, how) => {
        if (scope.closing) return;
        controller.abort(new Error(`${crashed.name} ${how}`));
        if (!crashed.ready) return;
        report.anomaly(
          `${crashed.name} (pid ${crashed.pid}) ${how} during the run; its last output:\n${crashed.logTail()}`,
        );
      },
    });
    services.push(service);
    scope.add(`stop ${name}`, () => service.stop());
    return service;
  };
  return { services, start };
}

/** The distributed services, started in stages so that the ingress can be measured alone first. */
export interface DistributedStages {
  /** The bench database (with Hookline's schema, migrated by the admin API). */
  databaseUrl: string;
  /** The reference server on the same database (its own copy of the messages table) and broker. */
  startReference(): Promise<Service>;
  /** The ingress; the matcher and executor are not running yet, so messages pile up unprocessed. */
  startIngress(): Promise<Deployment>;
  /** The matcher and the executor: from now on the pipeline is complete. */
  startConsumers(): Promise<void>;
}

/** Table and topic of the reference server: beside Hookline's, in the bench's own database and broker. */
export const REFERENCE_TABLE = 'bench_reference_messages';
export const REFERENCE_TOPIC = 'hookline.bench.reference.v1';

/**
 * The admin API (which migrates a database of the bench's own, dropped afterwards) at once; the
 * reference server, one ingress, one matcher and one executor as child processes when asked.
 */
export async function startDistributed(
  options: { databaseUrl: string; kafkaBrokers: string; keep: boolean },
  scope: Cleanup,
  report: Report,
  runDir: string,
): Promise<DistributedStages> {
  const stamp = Date.now();
  const database = `hookline_bench_${stamp}`;
  const databaseUrl = await createDatabase(options.databaseUrl, database);
  if (options.keep) report.info(`database ${database} will be kept (--keep)`);
  else scope.add(`drop database ${database}`, () => dropDatabase(options.databaseUrl, database));

  const controller = new AbortController();
  const { services, start } = launcher(scope, report, join(runDir, 'distributed'), controller);
  const env = (name: string) => ({
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: options.kafkaBrokers,
    INSTANCE_ID: `bench-${name}-${stamp}`,
  });
  // Registered before the ingress starts, so that it runs after the ingress stopped.
  const replyGroup = `hookline-ingress-${env('ingress').INSTANCE_ID}`;
  scope.add(`delete consumer group ${replyGroup}`, () => deleteConsumerGroup(options.kafkaBrokers, replyGroup));

  // The admin API first: it migrates the fresh database while nobody else is connecting.
  const started = Date.now();
  const admin = await start('admin-api', 'admin-api', env('admin-api'));
  await admin.waitReady();
  await createBenchRoute(admin.url, ADMIN_TOKEN);

  return {
    databaseUrl,
    startReference: async () => {
      await withClient(databaseUrl, (client) =>
        client.query(`CREATE TABLE IF NOT EXISTS ${REFERENCE_TABLE} (LIKE messages INCLUDING ALL)`),
      );
      await createTopic(options.kafkaBrokers, REFERENCE_TOPIC);
      const reference = await start('reference', 'reference', {
        ...env('reference'),
        REFERENCE_TABLE,
        REFERENCE_TOPIC,
      });
      await reference.waitReady();
      return reference;
    },
    startIngress: async () => {
      const ingress = await start('ingress', 'ingress', env('ingress'));
      await ingress.waitReady();
      const probe = await SqlProbe.connect(databaseUrl);
      scope.add('close the database probe', () => probe.close());
      return {
        services,
        ingressUrl: ingress.url,
        probe,
        signal: controller.signal,
        startupS: (Date.now() - started) / 1000,
      };
    },
    startConsumers: async () => {
      const consumers = await Promise.all([
        start('matcher', 'matcher', env('matcher')),
        start('executor', 'executor', env('executor')),
      ]);
      await Promise.all(consumers.map((service) => service.waitReady()));
      report.info(`services: ${services.map((s) => `${s.name} pid ${s.pid} ${s.url}`).join(', ')}`);
    },
  };
}

/**
 * The all-in-one process and the in-process bus, on PGlite in a fresh data directory or, given
 * `databaseUrl` (`--embedded-database-url`), on a scratch database next to it.
 */
export async function startEmbedded(
  name: string,
  scope: Cleanup,
  report: Report,
  runDir: string,
  databaseUrl?: string,
): Promise<Deployment> {
  const env: Record<string, string> = { DATA_DIR: join(runDir, name, 'data') };
  if (databaseUrl) {
    const database = `hookline_bench_${name.replace(/\W/g, '_')}_${Date.now()}`;
    env.DATABASE_URL = await createDatabase(databaseUrl, database);
    scope.add(`drop database ${database}`, () => dropDatabase(databaseUrl, database));
  }
  const started = Date.now();
  const controller = new AbortController();
  const { services, start } = launcher(scope, report, join(runDir, name), controller);
  const service = await start(name, 'embedded', env);
  await service.waitReady();
  const startupS = (Date.now() - started) / 1000;
  report.info(`service: ${service.name} pid ${service.pid} ${service.url}`);
  await createBenchRoute(service.url, ADMIN_TOKEN);
  return {
    services,
    ingressUrl: service.url,
    probe: new AdminApiProbe(service.url, ADMIN_TOKEN),
    signal: controller.signal,
    startupS,
  };
}

/** Creates a database next to the one in `url` and returns its URL. */
async function createDatabase(url: string, name: string): Promise<string> {
  await withClient(url, (client) => client.query(`CREATE DATABASE ${name}`));
  const own = new URL(url);
  own.pathname = `/${name}`;
  return own.toString();
}

function dropDatabase(url: string, name: string): Promise<unknown> {
  // FORCE: a service killed a moment ago may still hold a connection.
  return withClient(url, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
