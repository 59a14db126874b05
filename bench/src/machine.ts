import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Report, Section } from './report';

/** Above this, other work took a real share of the cores before a measurement. */
const BUSY_WARNING_PCT = 25;

/** Records how busy the machine was before `what` started, and flags it when that was a lot. */
export async function addMachineLoad(report: Report, section: Section, what: string): Promise<void> {
  const busy = await cpuBusyPercent();
  section.add('cpu_busy_before_pct', busy);
  if (busy > BUSY_WARNING_PCT) {
    report.anomaly(`the cores were ${busy}% busy with other work before ${what} started: its figures are low`);
  }
}

/**
 * Share of all cores busy over `ms`, from /proc/stat. Taken before a mode starts its processes, it
 * is other work competing for the same cores: the figures that follow are low by about that much.
 */
export async function cpuBusyPercent(ms = 2000): Promise<number> {
  return (await whileMeasuringCpu(() => sleep(ms))).busyPct;
}

/** Share of all cores busy while `work` ran: whether it was bound by the CPU or by waiting. */
export async function whileMeasuringCpu<T>(work: () => Promise<T>): Promise<{ result: T; busyPct: number }> {
  const before = readCpu();
  const result = await work();
  const after = readCpu();
  const total = after.total - before.total;
  return { result, busyPct: total > 0 ? Math.round((100 * (after.busy - before.busy)) / total) : NaN };
}

function readCpu(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3] + fields[4]; // idle + iowait
  return { busy: total - idle, total };
}
