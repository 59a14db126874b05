import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Hookline's Prometheus metrics: one registry per process, served at `/metrics` by every service
 * and the embedded process. Names and labels are a contract with dashboards and alerts
 * (monitoring/grafana-dashboard.json, monitoring/prometheus-alerts.yaml): rename one only with them.
 */
export const metricsRegistry = new Registry();

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const MIB = 1024 * 1024;

export const metrics = {
  httpRequests: new Counter({
    name: 'hookline_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status code',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [metricsRegistry],
  }),
  httpDuration: new Histogram({
    name: 'hookline_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern (the webhook route is the ingest latency)',
    labelNames: ['route', 'method'] as const,
    buckets: SECONDS,
    registers: [metricsRegistry],
  }),
  messagesFinished: new Counter({
    name: 'hookline_messages_finished_total',
    help: 'Message runs that reached a final status (SUCCESS, FAILED, UNMATCHED)',
    labelNames: ['status'] as const,
    registers: [metricsRegistry],
  }),
  executions: new Counter({
    name: 'hookline_executions_total',
    help: 'Function executions finished, by status',
    labelNames: ['status'] as const,
    registers: [metricsRegistry],
  }),
  executionDuration: new Histogram({
    name: 'hookline_execution_duration_seconds',
    help: 'Time a function script ran, by execution status',
    labelNames: ['status'] as const,
    buckets: SECONDS,
    registers: [metricsRegistry],
  }),
  rateLimited: new Counter({
    name: 'hookline_rate_limited_total',
    help: "Webhooks answered 429 (not stored) by a provider's ingress rate limit",
    labelNames: ['provider'] as const,
    registers: [metricsRegistry],
  }),
  executionRetries: new Counter({
    name: 'hookline_execution_retries_total',
    help: "Failed function tries planned again by the function's retry policy",
    registers: [metricsRegistry],
  }),
  deadLetters: new Counter({
    name: 'hookline_dead_letters_total',
    help: 'Records a consumer group gave up on after its bounded redelivery (see hookline.deadletter.v1)',
    labelNames: ['group', 'topic'] as const,
    registers: [metricsRegistry],
  }),
  sandboxRuns: new Counter({
    name: 'hookline_sandbox_runs_total',
    help: 'Script runs in the sandbox, by kind (match, function) and result (ok, or the error name: TimeoutError, MemoryLimitError...)',
    labelNames: ['kind', 'result'] as const,
    registers: [metricsRegistry],
  }),
  sandboxHeap: new Histogram({
    name: 'hookline_sandbox_heap_used_bytes',
    help: "Heap an isolate holds after a script run that completed (V8's and external), by kind; compare with SCRIPT_MEMORY_MB",
    labelNames: ['kind'] as const,
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].map((mib) => mib * MIB),
    registers: [metricsRegistry],
  }),
  sandboxCpu: new Histogram({
    name: 'hookline_sandbox_cpu_seconds',
    help: 'CPU time of a script run that completed, by kind; compare with SCRIPT_CPU_TIME_MS',
    labelNames: ['kind'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [metricsRegistry],
  }),
};

type LagSample = { groupId: string; topic: string; partition: number; lag: number };
let lagSource: (() => Promise<LagSample[]>) | null = null;

/** Consumer lag, read from the broker at each scrape; exported by the process that registers a source (the admin API). */
new Gauge({
  name: 'hookline_consumer_lag',
  help: "Records of a topic's partition that a consumer group has not committed yet",
  labelNames: ['group', 'topic', 'partition'] as const,
  registers: [metricsRegistry],
  async collect() {
    if (!lagSource) return;
    this.reset();
    for (const { groupId, topic, partition, lag } of await lagSource())
      this.set({ group: groupId, topic, partition: String(partition) }, lag);
  },
});

/** Makes this process export `hookline_consumer_lag`, read from `source` at each scrape. */
export function exportConsumerLag(source: () => Promise<LagSample[]>): void {
  lagSource = source;
}

let syncWaiters: (() => number) | null = null;
let outboxBacklog: (() => Promise<number | null>) | null = null;

new Gauge({
  name: 'hookline_sync_waiters',
  help: 'Sync requests this process holds, waiting for their outcome (bounded by SYNC_MAX_WAITERS)',
  registers: [metricsRegistry],
  collect() {
    if (syncWaiters) this.set(syncWaiters());
  },
});

new Gauge({
  name: 'hookline_outbox_backlog',
  help: 'Stored message runs the broker has not acknowledged yet (counted up to 100,000), read at each scrape',
  registers: [metricsRegistry],
  async collect() {
    const count = outboxBacklog ? await outboxBacklog().catch(() => null) : null;
    if (count !== null) this.set(count);
  },
});

/** Makes this process (an ingress) export its sync waiters and the outbox backlog. */
export function exportIngressGauges(sources: {
  syncWaiters: () => number;
  outboxBacklog: () => Promise<number | null>;
}): void {
  syncWaiters = sources.syncWaiters;
  outboxBacklog = sources.outboxBacklog;
}

let defaultsCollected = false;

/** Node's own metrics (CPU, memory, event loop lag, GC), prefixed `hookline_`; once per process. */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: metricsRegistry, prefix: 'hookline_' });
}

const SANDBOX_RESULTS = new Set([
  'SyntaxError',
  'TimeoutError',
  'MemoryLimitError',
  'CpuLimitError',
  'LogLimitError',
  'OutputLimitError',
  'SandboxError',
]);

/** The `result` label of a script run: `ok`, a sandbox limit or failure, or `error` (what a script throws is not a label). */
export function sandboxResult(ok: boolean, errorName: string | undefined): string {
  if (ok) return 'ok';
  return errorName && SANDBOX_RESULTS.has(errorName) ? errorName : 'error';
}
