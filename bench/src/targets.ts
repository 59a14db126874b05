import type { Report } from './report';

interface Target {
  label: string;
  /** Summary key of the figure. */
  key: string;
  /** The goal (#9). */
  goal: number;
  atLeast: boolean;
}

const TARGETS: Target[] = [
  {
    label: 'ingress req/s ÷ reference',
    key: 'distributed.ingress_alone.ratio_req_per_s_to_reference',
    goal: 0.9,
    atLeast: true,
  },
  { label: 'ingress p99 ms (alone)', key: 'distributed.ingress_alone.latency_p99_ms', goal: 50, atLeast: false },
  { label: 'distributed end to end msg/s', key: 'distributed.end_to_end.msgs_per_s', goal: 1200, atLeast: true },
  { label: 'distributed sync 10 conns req/s', key: 'distributed.sync_c10.req_per_s', goal: 400, atLeast: true },
  { label: 'distributed sync 10 conns p50 ms', key: 'distributed.sync_c10.latency_p50_ms', goal: 25, atLeast: false },
  { label: 'distributed sync 1 conn p50 ms', key: 'distributed.sync_c1.latency_p50_ms', goal: 10, atLeast: false },
  { label: 'embedded async ingest req/s', key: 'embedded.async_ingest.req_per_s', goal: 1000, atLeast: true },
  { label: 'embedded end to end msg/s', key: 'embedded.end_to_end.msgs_per_s', goal: 500, atLeast: true },
  { label: 'embedded peak RSS MB (memory run)', key: 'embedded.memory.rss_peak_mb', goal: 300, atLeast: false },
  // "RSS ≤ 300 MB after 100,000 messages, flat when idle": the reading after --idle seconds of rest.
  { label: 'embedded RSS MB after the idle time', key: 'embedded.memory.rss_after_idle_mb', goal: 300, atLeast: false },
];

/** The targets beside the figures of this run, for the ones it measured. */
export function printTargets(report: Report): void {
  const rows = TARGETS.flatMap((target) => {
    const shown = report.figure(target.key);
    if (shown === undefined) return [];
    const value = Number(shown);
    const met = target.atLeast ? value >= target.goal : value <= target.goal;
    return [
      `${target.label.padEnd(36)} ${shown.padStart(8)}  goal ${target.atLeast ? '≥' : '≤'} ${target.goal}  ${met ? 'met' : 'missed'}`,
    ];
  });
  if (rows.length === 0) return;
  console.log('\n================ targets (issue 9) ================');
  for (const row of rows) console.log(row);
}
