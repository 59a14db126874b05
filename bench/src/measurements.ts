import { webhookUrl } from './admin-client';
import { runLoad, type LoadResult } from './load';
import { whileMeasuringCpu } from './machine';
import type { BenchOptions } from './options';
import { waitSettled, type MessageProbe, type Settlement } from './probes';
import type { Service } from './processes';
import type { Report, Section } from './report';

/** A running Hookline as the measurements see it. */
export interface Target {
  mode: string;
  ingressUrl: string;
  probe: MessageProbe;
  /** Aborted when one of the target's processes dies. */
  signal: AbortSignal;
  services: Service[];
}

const E2E_IN_FLIGHT = 100;

/** Give up waiting for a backlog after 2 min, or 25 ms per message when that is longer. */
export const settleTimeoutMs = (messages: number) => Math.max(120_000, messages * 25);

/** Async webhooks as fast as the ingress takes them; then how long the pipeline needs to catch up. */
export async function measureAsyncIngest(target: Target, options: BenchOptions, report: Report): Promise<void> {
  const section = report.section(
    `${target.mode}.async_ingest`,
    `${target.mode} · async ingest: ${options.connections} connections for ${options.durationS} s, 1 KiB JSON`,
  );
  target.signal.throwIfAborted();
  const since = Date.now();
  const load = await runLoad({
    url: webhookUrl(target.ingressUrl),
    connections: options.connections,
    durationS: options.durationS,
  });
  addLoad(section, load);
  checkLoad(report, `${target.mode} async ingest`, load);
  // The ingress answers 202 once stored and published; processing trails behind as a backlog.
  const loadEnd = Date.now();
  const settled = await waitSettled(
    target.probe,
    since,
    settleTimeoutMs(load.ok),
    'async ingest backlog',
    target.signal,
  );
  if (settled.settledAt !== null) {
    section
      .add('backlog_drain_s', (settled.settledAt - loadEnd) / 1000)
      .add('processed_per_s', Math.round(load.ok / ((settled.settledAt - since) / 1000)));
  }
  await addOutcomes(section, report, target.probe, since, `${target.mode} async ingest`, settled);
}

/**
 * The reference server (bench/src/reference/server.ts) under the async ingest load: what storing and
 * publishing a webhook costs at least on this machine, database and broker.
 */
export async function measureReference(url: string, options: BenchOptions, report: Report): Promise<LoadResult> {
  const section = report.section(
    'distributed.reference',
    `distributed · reference store-and-publish server: ${options.connections} connections for ${options.durationS} s`,
  );
  const load = await runLoad({
    url: `${url}/reference`,
    connections: options.connections,
    durationS: options.durationS,
  });
  addLoad(section, load);
  checkLoad(report, 'reference', load);
  return load;
}

/**
 * The ingress with nothing consuming behind it, under the reference's load, and its ratio to the
 * reference; then the matcher and executor start and drain the backlog it left.
 */
export async function measureIngressAlone(
  target: Target,
  reference: LoadResult,
  startConsumers: () => Promise<void>,
  options: BenchOptions,
  report: Report,
): Promise<void> {
  const section = report.section(
    `${target.mode}.ingress_alone`,
    `${target.mode} · ingress alone (no matcher or executor running): ${options.connections} connections for ${options.durationS} s`,
  );
  const since = Date.now();
  const load = await runLoad({
    url: webhookUrl(target.ingressUrl),
    connections: options.connections,
    durationS: options.durationS,
  });
  addLoad(section, load);
  checkLoad(report, `${target.mode} ingress alone`, load);
  section
    .add('ratio_req_per_s_to_reference', load.okPerS / reference.okPerS)
    .add('ratio_p99_to_reference', load.p99Ms / reference.p99Ms);
  await startConsumers();
  // From when both answer ready (they may have begun a moment before).
  const drainStart = Date.now();
  const settled = await waitSettled(
    target.probe,
    since,
    settleTimeoutMs(load.ok),
    'ingress alone backlog',
    target.signal,
  );
  if (settled.settledAt !== null) {
    const drainS = (settled.settledAt - drainStart) / 1000;
    section.add('backlog_drain_s', drainS).add('backlog_processed_per_s', Math.round(load.ok / drainS));
  }
  await addOutcomes(section, report, target.probe, since, `${target.mode} ingress alone`, settled);
}

/** A fixed number of async webhooks, timed from the first send until every one is final. */
export async function measureEndToEnd(target: Target, options: BenchOptions, report: Report): Promise<void> {
  const inFlight = Math.min(E2E_IN_FLIGHT, options.messages);
  const section = report.section(
    `${target.mode}.end_to_end`,
    `${target.mode} · end to end: ${options.messages} async webhooks, ${inFlight} in flight, until all are final`,
  );
  target.signal.throwIfAborted();
  const cpuBefore = target.services.map((service) => service.cpuMs());
  const since = Date.now();
  const load = await runLoad({ url: webhookUrl(target.ingressUrl), connections: inFlight, amount: options.messages });
  checkLoad(report, `${target.mode} end to end`, load);
  const settled = await waitSettled(target.probe, since, settleTimeoutMs(load.ok), 'end to end', target.signal);
  section
    .add('accepted', load.ok)
    .add('send_s', load.elapsedS)
    .add('send_latency_p50_ms', load.p50Ms)
    .add('send_latency_p99_ms', load.p99Ms);
  if (settled.settledAt !== null) {
    const totalS = (settled.settledAt - since) / 1000;
    section.add('total_s', totalS).add('msgs_per_s', Math.round(load.ok / totalS));
    // CPU per message: what throughput would be on idle cores, and steady on a shared machine.
    target.services.forEach((service, i) => {
      const usedMs = service.cpuMs() - cpuBefore[i];
      if (Number.isFinite(usedMs)) section.add(`${service.name}_cpu_ms_per_msg`, usedMs / load.ok);
    });
  }
  section.add('non_2xx', load.non2xx).add('errors', load.errors);
  await addOutcomes(section, report, target.probe, since, `${target.mode} end to end`, settled);
}

/** Sync webhooks (answered with the functions' outcome): one connection, then ten. */
export async function measureSync(target: Target, options: BenchOptions, report: Report): Promise<void> {
  for (const connections of [1, 10]) {
    target.signal.throwIfAborted();
    const section = report.section(
      `${target.mode}.sync_c${connections}`,
      `${target.mode} · sync round trip: ${options.syncRequests} requests on ${connections} connection(s)`,
    );
    const since = Date.now();
    const cpuBefore = target.services.map((service) => service.cpuMs());
    const { result: load, busyPct } = await whileMeasuringCpu(() =>
      runLoad({
        url: webhookUrl(target.ingressUrl),
        connections,
        amount: options.syncRequests,
        sync: true,
        timeoutS: 35,
      }),
    );
    addLoad(section, load);
    // Bound by the cores or by waiting: how busy the machine was (load generator, broker and
    // database included), and each service's CPU per request.
    section.add('machine_cpu_busy_pct', busyPct);
    target.services.forEach((service, i) => {
      const usedMs = service.cpuMs() - cpuBefore[i];
      if (Number.isFinite(usedMs) && load.ok > 0) section.add(`${service.name}_cpu_ms_per_req`, usedMs / load.ok);
    });
    checkLoad(report, `${target.mode} sync ${connections} connection(s)`, load);
    await addStages(section, target.probe, since, load);
  }
}

/**
 * Where the round trip's time went: the stages' medians from the recorded timestamps, and what is
 * left of the answer's median after the function finished (the outcome's publication, the reply's
 * hop to the ingress, the answer). Medians of parts do not add up exactly to the whole.
 */
async function addStages(section: Section, probe: MessageProbe, since: number, load: LoadResult): Promise<void> {
  const stages = await probe.stages?.(since);
  if (!stages) return;
  section
    .add('stage_store_and_publish_ms', round1(stages.storeAndPublishMs))
    .add('stage_match_and_plan_ms', round1(stages.toPlanMs))
    .add('stage_split_from_pct', stages.splitPct)
    .add('stage_job_to_start_ms', round1(stages.toStartMs))
    .add('stage_run_and_finish_ms', round1(stages.runMs))
    .add('stage_after_finish_ms', round1(load.p50Ms - stages.totalMs));
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function addLoad(section: Section, load: LoadResult): void {
  section
    .add('req_per_s', Math.round(load.okPerS))
    .add('latency_p50_ms', load.p50Ms)
    .add('latency_p99_ms', load.p99Ms)
    .add('requests_2xx', load.ok)
    .add('non_2xx', load.non2xx)
    .add('errors', load.errors);
}

export function checkLoad(report: Report, label: string, load: LoadResult): void {
  if (load.non2xx > 0) {
    const codes = Object.entries(load.statusCodes)
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, count]) => `${count}× ${code}`)
      .join(', ');
    report.anomaly(`${label}: ${load.non2xx} non-2xx answers (${codes})`);
  }
  if (load.errors > 0) report.anomaly(`${label}: ${load.errors} request errors (${load.timeouts} timeouts)`);
}

/** FAILED / UNMATCHED counts, and the messages left unfinished when waiting gave up. */
export async function addOutcomes(
  section: Section,
  report: Report,
  probe: MessageProbe,
  since: number,
  label: string,
  settled: Settlement,
): Promise<void> {
  const outcomes = await probe.outcomes(since);
  section.add('failed', outcomes.failed).add('unmatched', outcomes.unmatched);
  if (outcomes.failed + outcomes.unmatched > 0) {
    report.anomaly(`${label}: ${outcomes.failed} FAILED and ${outcomes.unmatched} UNMATCHED messages (expected none)`);
  }
  if (settled.settledAt === null) {
    const count = `${settled.stuck.capped ? 'at least ' : ''}${settled.stuck.count}`;
    section.add('stuck', count);
    report.anomaly(`${label}: ${count} messages still RECEIVED/PROCESSING when the bench stopped waiting`);
  }
}
