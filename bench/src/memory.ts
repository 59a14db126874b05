import { setTimeout as sleep } from 'node:timers/promises';
import { webhookUrl } from './admin-client';
import type { Deployment } from './deployments';
import { runLoad } from './load';
import { addOutcomes, checkLoad, settleTimeoutMs } from './measurements';
import type { BenchOptions } from './options';
import { waitSettled } from './probes';
import { readMemory, type Service } from './processes';
import type { Report } from './report';

/** The goal for the embedded process under a burst. */
const PEAK_TARGET_MB = 300;
/** Growth while idle above this is reported: after the load, memory should stay put or shrink. */
const IDLE_GROWTH_TOLERANCE_MB = 10;

/** VmRSS of one process every `everyMs`, for the peak and a timeline. */
class RssSampler {
  private readonly samples: Array<{ at: number; mb: number }> = [];
  private readonly timer: NodeJS.Timeout;

  constructor(pid: number, everyMs: number) {
    const sample = () => {
      const memory = readMemory(pid);
      if (memory) this.samples.push({ at: Date.now(), mb: memory.rssMb });
    };
    sample();
    this.timer = setInterval(sample, everyMs);
  }

  max(from: number, to: number): number {
    return Math.max(...this.samples.filter((s) => s.at >= from && s.at <= to).map((s) => s.mb));
  }

  /** One reading per `stepMs`, for the eye. */
  timeline(from: number, stepMs: number): string {
    const points: string[] = [];
    let next = from;
    for (const sample of this.samples) {
      if (sample.at < next) continue;
      points.push(String(Math.round(sample.mb)));
      next = sample.at + stepMs;
    }
    return points.join(' ');
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * A burst of `--rss-messages` async webhooks into a fresh embedded process (the ingress takes them
 * faster than the pipeline processes them, so a backlog builds up): RSS at its peak, once all are
 * processed, and after `--idle` seconds of no traffic.
 */
export async function measureMemory(
  deployment: Deployment,
  service: Service,
  options: BenchOptions,
  report: Report,
): Promise<void> {
  const mode = 'embedded';
  const section = report.section(
    `${mode}.memory`,
    `${mode} · memory: ${options.rssMessages} async webhooks on ${options.connections} connections, ` +
      `then ${options.idleS} s idle (RSS sampled every 500 ms)`,
  );
  const rss = () => service.memory()?.rssMb ?? NaN;
  const sampler = new RssSampler(service.pid, 500);
  try {
    const startMb = rss();
    const since = Date.now();
    const load = await runLoad({
      url: webhookUrl(deployment.ingressUrl),
      connections: options.connections,
      amount: options.rssMessages,
    });
    checkLoad(report, `${mode} memory run`, load);
    const sentMb = rss();
    const settled = await waitSettled(
      deployment.probe,
      since,
      settleTimeoutMs(load.ok),
      'memory run',
      deployment.signal,
    );
    const settledAt = settled.settledAt ?? Date.now();
    const settledMb = rss();
    const peakMb = sampler.max(since, settledAt);
    await sleep(options.idleS * 1000, undefined, { signal: deployment.signal });
    const idleMb = rss();
    const idlePeakMb = sampler.max(settledAt, Date.now());

    section
      .add('accepted', load.ok)
      .add('ingest_req_per_s', Math.round(load.okPerS))
      .add('ingest_latency_p99_ms', load.p99Ms);
    if (settled.settledAt !== null) {
      section.add('msgs_per_s', Math.round(load.ok / ((settled.settledAt - since) / 1000)));
    }
    section
      .add('rss_start_mb', Math.round(startMb))
      .add('rss_peak_mb', Math.round(peakMb))
      .add('rss_vmhwm_mb', Math.round(service.memory()?.peakMb ?? NaN))
      .add('rss_when_sent_mb', Math.round(sentMb))
      .add('rss_when_processed_mb', Math.round(settledMb))
      .add('rss_after_idle_mb', Math.round(idleMb))
      .add('rss_idle_max_mb', Math.round(idlePeakMb))
      .add('rss_retained_mb', Math.round(idleMb - startMb));
    report.info(`RSS timeline, MB every 5 s from the first request: ${sampler.timeline(since, 5000)}`);
    await addOutcomes(section, report, deployment.probe, since, `${mode} memory run`, settled);

    if (peakMb > PEAK_TARGET_MB) {
      report.anomaly(`embedded peak RSS ${Math.round(peakMb)} MB is above the ${PEAK_TARGET_MB} MB target`);
    }
    if (idleMb - settledMb > IDLE_GROWTH_TOLERANCE_MB) {
      report.anomaly(
        `embedded RSS grew by ${Math.round(idleMb - settledMb)} MB during ${options.idleS} s without traffic`,
      );
    }
  } finally {
    sampler.stop();
  }
}
