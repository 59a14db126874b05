import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { EnvReader } from './env-reader';
import { parseSecretKeys, type SecretKey } from './secret-keys';

/** Everything Hookline reads from its environment, validated once at boot. */
export interface HooklineConfig {
  /** `accessLog`: one log line per answered request (route, status, time, client address). */
  http: {
    port: number;
    host: string;
    maxBodyBytes: number;
    maxUriLength: number;
    trustProxy: string[];
    accessLog: boolean;
  };
  /** Absent: embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Apply pending migrations at start (false where a migration job does it: services then refuse a stale schema). */
  migrateAtStart: boolean;
  /**
   * Prepare the hot path's statements once per connection (renewed every 30 s, so that no cached
   * generic plan outlives the tables' growth: bench/README.md, ninth and tenth passes). Off by
   * default: not behind PgBouncer < 1.21 (or without max_prepared_statements) in transaction mode.
   */
  preparedStatements: boolean;
  /** Absent: the in-process transport. */
  kafka: {
    brokers: string[];
    clientId: string;
    partitions: number;
    replicationFactor: number;
  };
  adminToken: string | undefined;
  /**
   * Keys of secret provider properties: the first encrypts, every one decrypts (rotation). Empty:
   * secrets can be neither stored nor read (the embedded process generates a key instead).
   */
  secrets: { keys: SecretKey[] };
  /** `maxWaiters`: sync requests one replica holds at once; more are answered 503 with Retry-After. */
  sync: { timeoutMs: number; maxWaiters: number; maxLag: number };
  /**
   * Bounded redelivery of every consumer: a record whose handling fails is tried `maxAttempts`
   * times in all, `backoffMs` apart and doubling up to `maxBackoffMs`, then dead-lettered.
   */
  consumers: { maxAttempts: number; backoffMs: number; maxBackoffMs: number };
  scripts: { timeoutMs: number; memoryMb: number; cpuTimeMs: number };
  /** What function scripts may reach with KAFKA.publish and HTTP.request. */
  sideEffects: {
    /** Topics scripts may publish to; `prefix.*` allows a prefix. Hookline's own topics never. */
    kafkaTopics: string[];
    /** Hosts scripts may call; `*.example.com` allows subdomains, `*` any public host. */
    httpHosts: string[];
    /** Hosts allowed even though they resolve to loopback, link-local or private addresses. */
    httpPrivateHosts: string[];
    httpMaxResponseBytes: number;
  };
  executor: { concurrency: number };
  /**
   * `syncRuns`: the jobs of sync runs a matcher process runs itself at once, instead of sending them
   * to the executors (0: none, every job goes to the executors).
   */
  matcher: { concurrency: number; syncRuns: number };
  outbox: { intervalMs: number; minAgeMs: number; batchSize: number };
  /**
   * Records the in-process bus (embedded, no KAFKA_BROKERS) may hold for the matcher and executors
   * at once (0: no limit). Accepted messages beyond it wait in the database for the outbox relay.
   */
  embedded: { maxBacklog: number };
  /** How often each ingress replica checks for changed provider rate limits. */
  rateLimits: { refreshMs: number };
  /** How often executors look for function retries whose backoff is over, and how many they take at once. */
  functionRetries: { intervalMs: number; batchSize: number };
  /** Purging of finished messages (with their executions) whose latest run started `days` ago. */
  retention: { days: number; intervalMs: number; batchSize: number };
  /**
   * On SIGTERM: readiness answers 503 for `delayMs` while requests are still served (load balancers
   * stop sending), then the listener and consumers close; past `timeoutMs` the process exits anyway.
   */
  shutdown: { delayMs: number; timeoutMs: number };
  /** A name for this process, unique among replicas: it identifies sync replies' owner. */
  instanceId: string;
  logLevel: string;
  /**
   * OpenTelemetry traces, off unless OTEL_TRACES_EXPORTER names an exporter (`otlp`, `console`).
   * The OTLP exporter, sampler and batch processor read their own standard OTEL_* variables.
   */
  tracing: TracingConfig;
}

export type TraceExporterName = 'otlp' | 'console';

export interface TracingConfig {
  /** Empty: tracing is off; no SDK is started and the API stays a no-op. */
  exporters: TraceExporterName[];
  /** OTEL_SERVICE_NAME; absent: `hookline-<service>` (`hookline-ingress`, `hookline-embedded`...). */
  serviceName: string | undefined;
  /** OTEL_TRACES_SAMPLER (`parentbased_always_on` by default) and its OTEL_TRACES_SAMPLER_ARG ratio. */
  sampler: { name: TraceSamplerName; ratio: number };
}

export const TRACE_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type TraceSamplerName = (typeof TRACE_SAMPLERS)[number];

export function loadConfig(env: Record<string, string | undefined> = process.env): HooklineConfig {
  const read = new EnvReader(env);
  const config: HooklineConfig = {
    http: {
      port: read.int('PORT', 3000, { max: 65535 }),
      host: read.string('HOST', '0.0.0.0'),
      // Records carry the body base64 inside JSON, within the buses' 4 MiB record limit.
      maxBodyBytes: read.int('MAX_BODY_BYTES', 1024 * 1024, { min: 1, max: 2 * 1024 * 1024 }),
      maxUriLength: read.int('MAX_URI_LENGTH', 4096, { min: 64, max: 65_536 }),
      trustProxy: read.list('TRUSTED_PROXIES'),
      accessLog: read.bool('ACCESS_LOG', false),
    },
    databaseUrl: read.optional('DATABASE_URL'),
    dataDir: read.string('DATA_DIR', './.hookline/data'),
    migrateAtStart: read.bool('DATABASE_MIGRATE_AT_START', true),
    preparedStatements: read.bool('DATABASE_PREPARED_STATEMENTS', false),
    kafka: {
      brokers: read.list('KAFKA_BROKERS'),
      clientId: read.string('KAFKA_CLIENT_ID', 'hookline'),
      partitions: read.int('KAFKA_TOPIC_PARTITIONS', 6, { min: 1, max: 1000 }),
      replicationFactor: read.int('KAFKA_REPLICATION_FACTOR', 1, { min: 1, max: 10 }),
    },
    adminToken: read.optional('ADMIN_TOKEN'),
    secrets: { keys: read.parsed('SECRETS_KEYS', [], parseSecretKeys) },
    sync: {
      timeoutMs: read.int('SYNC_TIMEOUT_MS', 30_000, { min: 1 }),
      maxWaiters: read.int('SYNC_MAX_WAITERS', 1_000, { min: 1 }),
      // 0: off. Otherwise sync requests are refused while the matcher and executors are this far behind.
      maxLag: read.int('SYNC_MAX_LAG', 0, { min: 0 }),
    },
    consumers: {
      maxAttempts: read.int('CONSUMER_MAX_ATTEMPTS', 5, { min: 1, max: 100 }),
      backoffMs: read.int('CONSUMER_BACKOFF_MS', 200, { min: 0, max: 60_000 }),
      maxBackoffMs: read.int('CONSUMER_MAX_BACKOFF_MS', 5_000, { min: 0, max: 600_000 }),
    },
    scripts: {
      timeoutMs: read.int('SCRIPT_TIMEOUT_MS', 5_000, { min: 1 }),
      memoryMb: read.int('SCRIPT_MEMORY_MB', 64, { min: 8, max: 4096 }),
      cpuTimeMs: read.int('SCRIPT_CPU_TIME_MS', 2_000, { min: 1 }),
    },
    sideEffects: {
      kafkaTopics: read.list('SCRIPT_KAFKA_TOPICS'),
      httpHosts: read.list('SCRIPT_HTTP_HOSTS'),
      httpPrivateHosts: read.list('SCRIPT_HTTP_PRIVATE_HOSTS'),
      httpMaxResponseBytes: read.int('SCRIPT_HTTP_MAX_RESPONSE_BYTES', 1024 * 1024, { min: 1 }),
    },
    executor: { concurrency: read.int('EXECUTOR_CONCURRENCY', 16, { min: 1, max: 1024 }) },
    matcher: {
      concurrency: read.int('MATCHER_CONCURRENCY', 16, { min: 1, max: 1024 }),
      syncRuns: read.int('MATCHER_SYNC_RUNS', 16, { min: 0, max: 1024 }),
    },
    outbox: {
      intervalMs: read.int('OUTBOX_INTERVAL_MS', 1_000, { min: 10 }),
      minAgeMs: read.int('OUTBOX_MIN_AGE_MS', 5_000, { min: 0 }),
      batchSize: read.int('OUTBOX_BATCH_SIZE', 500, { min: 1 }),
    },
    embedded: { maxBacklog: read.int('EMBEDDED_MAX_BACKLOG', 1_000, { min: 0, max: 1_000_000 }) },
    rateLimits: { refreshMs: read.int('RATE_LIMIT_REFRESH_MS', 1_000, { min: 10, max: 600_000 }) },
    functionRetries: {
      intervalMs: read.int('FUNCTION_RETRY_INTERVAL_MS', 500, { min: 10, max: 60_000 }),
      batchSize: read.int('FUNCTION_RETRY_BATCH_SIZE', 100, { min: 1, max: 10_000 }),
    },
    retention: {
      // FlexDeploy keeps webhook messages for 7 days.
      days: read.int('RETENTION_DAYS', 7, { min: 1, max: 36_500 }),
      intervalMs: read.int('RETENTION_INTERVAL_MS', 10 * 60_000, { min: 1_000 }),
      batchSize: read.int('RETENTION_BATCH_SIZE', 1_000, { min: 1, max: 100_000 }),
    },
    shutdown: {
      delayMs: read.int('SHUTDOWN_DELAY_MS', 2_000, { max: 600_000 }),
      timeoutMs: read.int('SHUTDOWN_TIMEOUT_MS', 25_000, { min: 1_000, max: 3_600_000 }),
    },
    instanceId: read.string('INSTANCE_ID', `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`),
    logLevel: read.string('LOG_LEVEL', 'info'),
    tracing: {
      // Off by default, unlike the OpenTelemetry SDKs' `otlp`: tracing costs nothing until asked for.
      exporters: read.bool('OTEL_SDK_DISABLED', false) ? [] : read.parsed('OTEL_TRACES_EXPORTER', [], parseExporters),
      serviceName: read.optional('OTEL_SERVICE_NAME'),
      sampler: {
        name: read.parsed('OTEL_TRACES_SAMPLER', 'parentbased_always_on', parseSampler),
        ratio: read.parsed('OTEL_TRACES_SAMPLER_ARG', 1, parseRatio),
      },
    },
  };
  read.done();
  return config;
}

const TRACE_EXPORTERS: readonly string[] = ['otlp', 'console', 'none'];

/** `otlp`, `console`, `none` or a comma-separated list of them (the OpenTelemetry specification's values). */
function parseExporters(raw: string): TraceExporterName[] {
  const names = raw
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((name) => !TRACE_EXPORTERS.includes(name));
  if (unknown.length > 0) throw new Error(`must list otlp, console or none, got '${unknown.join(', ')}'`);
  return [...new Set(names.filter((name): name is TraceExporterName => name !== 'none'))];
}

function parseSampler(raw: string): TraceSamplerName {
  const name = raw.trim().toLowerCase();
  if (!(TRACE_SAMPLERS as readonly string[]).includes(name)) {
    throw new Error(`must be one of ${TRACE_SAMPLERS.join(', ')}, got '${raw}'`);
  }
  return name as TraceSamplerName;
}

function parseRatio(raw: string): number {
  const ratio = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new Error(`must be a number from 0 to 1, got '${raw}'`);
  }
  return ratio;
}
