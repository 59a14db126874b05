import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  connections: number;
  /** Run for this long… */
  durationS?: number;
  /** …or until this many requests were answered. */
  amount?: number;
  sync?: boolean;
  timeoutS?: number;
}

export interface LoadResult {
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  elapsedS: number;
  /** 2xx answers per second over the whole run. */
  okPerS: number;
  p50Ms: number;
  p99Ms: number;
  statusCodes: Record<string, number>;
}

/** A 1 KiB JSON body, like a small real webhook. */
export const WEBHOOK_BODY = (() => {
  const skeleton = { event: 'bench', repository: 'hookline/bench', ref: 'refs/heads/main', padding: '' };
  skeleton.padding = 'x'.repeat(1024 - JSON.stringify(skeleton).length);
  return JSON.stringify(skeleton);
})();

/**
 * POSTs WEBHOOK_BODY with autocannon. Latencies come from every 2xx answer's own timing rather
 * than autocannon's histogram, which keeps whole milliseconds only.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  const started = performance.now();
  const instance = autocannon({
    url: spec.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(spec.sync ? { 'flex-sync-webhook': 'true' } : {}) },
    body: WEBHOOK_BODY,
    connections: spec.connections,
    ...(spec.amount ? { amount: spec.amount } : { duration: spec.durationS ?? 10 }),
    timeout: spec.timeoutS ?? 30,
  });
  let lastAnswer = started;
  instance.on('response', (_client, statusCode, _bytes, ms) => {
    lastAnswer = performance.now();
    if (statusCode >= 200 && statusCode < 300) latencies.push(ms);
  });
  const result = await instance;
  // Until the last answer: autocannon reports only at its next 1 s sample after the last request,
  // which made a run of 200 sync requests in 2.1 s count as 3 s.
  const elapsedS = Math.max(lastAnswer - started, 1) / 1000;
  latencies.sort((a, b) => a - b);
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  return {
    ok: latencies.length,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    elapsedS,
    okPerS: latencies.length / elapsedS,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    statusCodes,
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
