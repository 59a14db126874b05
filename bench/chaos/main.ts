/**
 * `npm run chaos`: a steady stream of async webhooks through two ingress replicas while the
 * services, the broker and the database fail one after the other, then the figures a sender and an
 * operator care about: acknowledged, refused (and during which fault), final statuses, stuck
 * messages, duplicate SUCCESS executions, drain time. Prints figures; it is not a timed test.
 *
 *   npm run chaos                       # distributed: own Kafka broker, local PostgreSQL
 *   npm run chaos -- --mode embedded    # the single process, SIGKILLed and restarted under load
 *   npm run chaos -- --rate 40 --phase-s 10
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { KafkaBroker } from '../../test/harness/kafka-broker';
import { TcpProxy } from '../../test/harness/tcp-proxy';
import { createBenchRoute, BENCH_URI } from '../src/admin-client';
import { Cleanup } from '../src/cleanup';
import { spawnService, type AppName, type Service } from '../src/processes';

const TOKEN = 'hookline-chaos-token';
const FINAL = ['SUCCESS', 'FAILED', 'UNMATCHED', 'DUPLICATE'];

/** What a chaos run is given. */
export interface ChaosOptions {
  mode: 'distributed' | 'embedded';
  /** Webhooks per second. */
  rate: number;
  /** Steady time before the first fault and after each one. */
  phaseMs: number;
  /** How long the broker stays down. */
  outageMs: number;
  databaseUrl: string;
  kafkaPort: number;
  drainTimeoutMs: number;
}

/** What a chaos run found. */
export interface ChaosFigures {
  sent: number;
  acknowledged: number;
  refused: Record<string, number>;
  /** Refusals outside the faults where the goal allows them. */
  refusedOutsideAllowed: number;
  failovers: number;
  statuses: Record<string, number>;
  missing: number;
  stuck: number;
  duplicates: number;
  drainS: number;
  met: boolean;
}

let options: ChaosOptions;

/** A fleet of services the chaos plays with, restartable by name. */
class Fleet {
  readonly services = new Map<string, Service>();
  constructor(
    private readonly scope: Cleanup,
    private readonly logDir: string,
    private readonly baseEnv: Record<string, string>,
  ) {}

  async start(name: string, app: AppName, env: Record<string, string> = {}): Promise<Service> {
    const service = await spawnService({
      name,
      app,
      env: { ADMIN_TOKEN: TOKEN, ...this.baseEnv, INSTANCE_ID: `chaos-${name}`, ...env },
      logDir: this.logDir,
      onCrash: (crashed, how) => {
        if (!this.scope.closing) console.log(`!! ${crashed.name} ${how} on its own:\n${crashed.logTail(10)}`);
      },
    });
    this.services.set(name, service);
    this.scope.add(`stop ${name}`, () => this.services.get(name)?.stop());
    await service.waitReady();
    return service;
  }

  get(name: string): Service {
    return this.services.get(name)!;
  }

  /** SIGKILL, as a crash would, then (after `downMs`) the same service again on a new port. */
  async crash(name: string, app: AppName, downMs: number, env: Record<string, string> = {}): Promise<void> {
    await this.get(name).kill('SIGKILL');
    await sleep(downMs);
    await this.start(name, app, env);
  }
}

/** Async webhooks at a steady rate, over the ingress replicas a load balancer would use. */
class Load {
  sent = 0;
  readonly acknowledged = new Map<string, number>();
  readonly refused = new Map<string, number>();
  failovers = 0;
  private phase = 'steady';
  private running = true;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly targets: () => string[]) {}

  setPhase(phase: string): void {
    this.phase = phase;
  }

  async run(): Promise<void> {
    const interval = 1000 / options.rate;
    let next = Date.now();
    while (this.running) {
      const n = this.sent++;
      const request = this.send(n).finally(() => this.inFlight.delete(request));
      this.inFlight.add(request);
      next += interval;
      await sleep(Math.max(0, next - Date.now()));
    }
    await Promise.all(this.inFlight);
  }

  stop(): void {
    this.running = false;
  }

  /** To one replica, and on a refused or cut connection to the next, as a load balancer does. */
  private async send(n: number): Promise<void> {
    const sentDuring = this.phase;
    const urls = this.targets();
    let lastError = '';
    for (let attempt = 0; attempt < urls.length; attempt++) {
      const url = urls[(n + attempt) % urls.length];
      try {
        const response = await fetch(`${url}/flexdeploy/webhooks/v1/${BENCH_URI}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ n }),
          signal: AbortSignal.timeout(30_000),
        });
        const body = (await response.json().catch(() => ({}))) as { messageId?: string; error?: string };
        if (response.status === 202 && body.messageId) {
          this.acknowledged.set(body.messageId, n);
          return;
        }
        lastError = `${response.status} ${body.error ?? ''}`;
        break; // an answer, not a dead replica: the sender sees it
      } catch (error) {
        lastError = error instanceof Error ? ((error.cause as Error)?.message ?? error.message) : String(error);
        if (attempt + 1 < urls.length) this.failovers++;
      }
    }
    // Counted against the fault under way when it failed (a request in flight when a process is
    // killed fails during that fault, whenever it was sent), or else against the one under way when
    // it was sent (a request sent while PostgreSQL was cut may be answered just after).
    const key = `${this.phase === 'steady' ? sentDuring : this.phase}: ${lastError}`;
    this.refused.set(key, (this.refused.get(key) ?? 0) + 1);
  }
}

async function sql<T = any>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Runs the faults against a fresh deployment and returns (and prints) the figures. */
export async function runChaos(given: ChaosOptions): Promise<ChaosFigures> {
  options = given;
  const scope = new Cleanup();
  const interrupted = () => void scope.runAll().then(() => process.exit(130));
  process.once('SIGINT', interrupted);
  const runDir = mkdtempSync(join(tmpdir(), 'hookline-chaos-'));
  mkdirSync(runDir, { recursive: true });
  console.log(
    `chaos (${options.mode}): ${options.rate} webhooks/s, phases of ${options.phaseMs / 1000} s, logs in ${runDir}`,
  );
  try {
    return options.mode === 'embedded' ? await embedded(scope, runDir) : await distributed(scope, runDir);
  } finally {
    await scope.runAll();
    process.off('SIGINT', interrupted);
  }
}

async function distributed(scope: Cleanup, runDir: string): Promise<ChaosFigures> {
  const broker = new KafkaBroker(options.kafkaPort);
  await broker.start();
  scope.add('destroy the broker', () => broker.destroy());
  const stamp = Date.now();
  const database = `hookline_chaos_${stamp}`;
  await sql(options.databaseUrl, `CREATE DATABASE ${database}`);
  scope.add(`drop database ${database}`, () =>
    sql(options.databaseUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
  );
  const direct = new URL(options.databaseUrl);
  direct.pathname = `/${database}`;
  const proxy = new TcpProxy(direct.hostname, Number(direct.port || 5432));
  await proxy.start();
  scope.add('close the database proxy', () => proxy.cut());
  const viaProxy = new URL(direct);
  viaProxy.port = String(proxy.port);

  const fleet = new Fleet(scope, runDir, {
    DATABASE_URL: viaProxy.toString(),
    KAFKA_BROKERS: broker.brokers,
    OUTBOX_INTERVAL_MS: '500',
    OUTBOX_MIN_AGE_MS: '2000',
  });
  const admin = await fleet.start('admin-api', 'admin-api');
  await Promise.all([
    fleet.start('matcher', 'matcher'),
    fleet.start('executor-a', 'executor'),
    fleet.start('executor-b', 'executor'),
    fleet.start('ingress-a', 'ingress'),
    fleet.start('ingress-b', 'ingress'),
  ]);
  await createBenchRoute(admin.url, TOKEN);
  const load = new Load(() => ['ingress-a', 'ingress-b'].map((name) => fleet.get(name).url));
  const running = load.run();

  const phase = async (name: string, fault: () => Promise<void>) => {
    load.setPhase(name);
    const started = Date.now();
    await fault();
    console.log(`   ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    load.setPhase('steady');
    await sleep(options.phaseMs);
  };
  await sleep(options.phaseMs);
  await phase('executor-a SIGKILLed', () => fleet.get('executor-a').kill('SIGKILL'));
  await phase('matcher SIGKILLed and restarted', () => fleet.crash('matcher', 'matcher', 2000));
  await phase('ingress-a SIGKILLed and restarted', () => fleet.crash('ingress-a', 'ingress', 2000));
  await phase(`broker stopped for ${options.outageMs / 1000} s`, async () => {
    await broker.stop();
    await sleep(options.outageMs);
    await broker.start();
  });
  await phase('PostgreSQL cut for 5 s', async () => {
    await proxy.cut();
    await sleep(5000);
    await proxy.restore();
    // The outage lasts, for the replicas, until their pools reconnect: until they answer ready.
    await Promise.all(['ingress-a', 'ingress-b'].map((name) => fleet.get(name).waitReady()));
  });
  load.stop();
  await running;
  return report(load, ['PostgreSQL'], direct.toString());
}

async function embedded(scope: Cleanup, runDir: string): Promise<ChaosFigures> {
  const dataDir = join(runDir, 'data');
  const fleet = new Fleet(scope, runDir, { DATA_DIR: dataDir });
  const hookline = await fleet.start('embedded', 'embedded');
  await createBenchRoute(hookline.url, TOKEN);
  const load = new Load(() => [fleet.get('embedded').url]);
  const running = load.run();
  await sleep(options.phaseMs);
  for (let round = 1; round <= 2; round++) {
    load.setPhase(`embedded SIGKILLed and restarted (${round})`);
    await fleet.crash('embedded', 'embedded', 1000);
    load.setPhase('steady');
    await sleep(options.phaseMs);
  }
  load.stop();
  await running;
  return report(load, ['embedded SIGKILLed'], null, fleet.get('embedded').url);
}

/** Waits for every acknowledged message to finish (or the drain timeout), then prints the figures. */
async function report(
  load: Load,
  /** Phases whose refusals the goal allows: the database cut (the single process down, embedded). */
  allowed: string[],
  databaseUrl: string | null,
  adminUrl?: string,
): Promise<ChaosFigures> {
  const ids = [...load.acknowledged.keys()];
  const started = Date.now();
  const deadline = started + options.drainTimeoutMs;
  let statuses: Array<{ id: string; status: string; successes: number }> = [];
  for (;;) {
    statuses = databaseUrl ? await statusesFromSql(databaseUrl, ids) : await statusesFromApi(adminUrl!, ids);
    const open = statuses.filter((m) => !FINAL.includes(m.status)).length;
    if (open === 0 || Date.now() > deadline) break;
    await sleep(1000);
  }
  const drainS = (Date.now() - started) / 1000;
  const byStatus: Record<string, number> = {};
  for (const m of statuses) byStatus[m.status] = (byStatus[m.status] ?? 0) + 1;
  const missing = ids.length - statuses.length;
  const stuck = statuses.filter((m) => !FINAL.includes(m.status)).length + missing;
  const duplicates = statuses.filter((m) => m.successes > 1).length;
  const refusedTotal = [...load.refused.values()].reduce((a, b) => a + b, 0);
  const lines: string[] = [];
  lines.push('chaos figures');
  lines.push(`  sent                      ${load.sent}`);
  lines.push(`  acknowledged (202)        ${load.acknowledged.size}`);
  lines.push(`  refused or cut            ${refusedTotal}`);
  for (const [why, count] of load.refused) lines.push(`    ${count} × ${why}`);
  lines.push(`  failovers to other replica ${load.failovers}`);
  lines.push(`  final statuses            ${JSON.stringify(byStatus)}`);
  lines.push(`  acknowledged but missing  ${missing}`);
  lines.push(`  stuck (not final)         ${stuck}`);
  lines.push(`  duplicate SUCCESS         ${duplicates}`);
  lines.push(`  drain time                ${drainS.toFixed(1)} s`);
  const refusedOutsideDb = [...load.refused.entries()]
    .filter(([why]) => !allowed.some((phase) => why.startsWith(phase)))
    .reduce((sum, [, count]) => sum + count, 0);
  const met = stuck === 0 && duplicates === 0 && refusedOutsideDb === 0;
  lines.push(`  goal (0 stuck, 0 duplicates, refusals only while ${allowed.join(' or ')}): ${met ? 'met' : 'NOT met'}`);
  console.log(lines.join('\n'));
  return {
    sent: load.sent,
    acknowledged: load.acknowledged.size,
    refused: Object.fromEntries(load.refused),
    refusedOutsideAllowed: refusedOutsideDb,
    failovers: load.failovers,
    statuses: byStatus,
    missing,
    stuck,
    duplicates,
    drainS,
    met,
  };
}

async function statusesFromSql(url: string, ids: string[]) {
  return sql<{ id: string; status: string; successes: number }>(
    url,
    `SELECT m.id, m.status,
            (SELECT count(*)::int FROM executions e WHERE e.message_id = m.id AND e.status = 'SUCCESS') AS successes
       FROM messages m WHERE m.id = ANY($1::uuid[])`,
    [ids],
  );
}

async function statusesFromApi(url: string, ids: string[]) {
  const rows: Array<{ id: string; status: string; successes: number }> = [];
  for (const id of ids) {
    const response = await fetch(`${url}/api/v1/messages/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    if (response.status !== 200) continue;
    const message = (await response.json()) as { status: string; executions: Array<{ status: string }> };
    rows.push({
      id,
      status: message.status,
      successes: message.executions.filter((e) => e.status === 'SUCCESS').length,
    });
  }
  return rows;
}

if (require.main === module) {
  const { values: args } = parseArgs({
    options: {
      mode: { type: 'string', default: 'distributed' },
      rate: { type: 'string', default: '40' },
      'phase-s': { type: 'string', default: '10' },
      'outage-s': { type: 'string', default: '20' },
      'database-url': {
        type: 'string',
        default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      },
      'kafka-port': { type: 'string', default: '19592' },
      'drain-timeout-s': { type: 'string', default: '180' },
    },
  });
  runChaos({
    mode: args.mode === 'embedded' ? 'embedded' : 'distributed',
    rate: Number(args.rate),
    phaseMs: Number(args['phase-s']) * 1000,
    outageMs: Number(args['outage-s']) * 1000,
    databaseUrl: args['database-url']!,
    kafkaPort: Number(args['kafka-port']),
    drainTimeoutMs: Number(args['drain-timeout-s']) * 1000,
  }).then(
    (figures) => (process.exitCode = figures.met ? 0 : 1),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
