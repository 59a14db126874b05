import { readFileSync } from 'node:fs';
import type { Report } from './report';
import type { Service } from './processes';

const LEVELS: Record<number, string> = { 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** Output known to be harmless: listed as information, not as an anomaly. */
const KNOWN_HARMLESS = [
  {
    pattern: /TimeoutNegativeWarning/,
    why: "a negative kafkajs timer on Node 24 (tulios/kafkajs#1751); its request queue's is patched (libs/transport)",
  },
];

/** The second and third lines of every Node process warning. */
const WARNING_CONTINUATION = /^(Timeout duration was set to|\(Use `node --trace-warnings)/;

/**
 * Reports what the services logged at warn or above (pino JSON on stdout) and anything on stderr,
 * grouped by message with a count, so a problem under load shows up next to the figures.
 */
export function reportServiceLogs(report: Report, services: Service[]): void {
  for (const service of services) {
    const counts = new Map<string, number>();
    const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
    for (const line of lines(service.logs.stdout)) {
      const entry = parse(line);
      if (entry && typeof entry.level === 'number' && entry.level >= 40) bump(describe(entry));
    }
    for (const line of lines(service.logs.stderr)) {
      if (WARNING_CONTINUATION.test(line)) continue;
      bump(`STDERR ${normalise(line)}`);
    }
    for (const [text, count] of counts) {
      const known = KNOWN_HARMLESS.find((k) => k.pattern.test(text));
      if (!known) continue;
      report.info(`${service.name}: ${count}× ${text} — ${known.why}`);
      counts.delete(text);
    }
    if (counts.size === 0) continue;
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 6);
    report.anomaly(
      `${service.name} logged ${total} warning/error line(s); most frequent:\n` +
        top.map(([text, count]) => `      ${count}× ${text}`).join('\n') +
        `\n      (logs, kept only with --keep: ${service.logs.stdout}, ${service.logs.stderr})`,
    );
  }
}

/** Without pids and long numbers, repeats of one warning count as one line. */
const normalise = (line: string) =>
  line
    .replace(/^\(node:\d+\) /, '')
    .replace(/-?\d{6,}/g, 'N')
    .slice(0, 240);

function lines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
  } catch {
    return [];
  }
}

function parse(line: string): Record<string, any> | null {
  try {
    const value = JSON.parse(line);
    return value && typeof value === 'object' ? value : null;
  } catch {
    return null;
  }
}

function describe(entry: Record<string, any>): string {
  const level = LEVELS[entry.level] ?? `L${entry.level}`;
  const error = entry.err?.message ? `: ${String(entry.err.message).split('\n')[0]}` : '';
  const kafka = entry.kafka?.error ? ` (kafka: ${entry.kafka.error})` : '';
  return `${level} [${entry.service ?? entry.name ?? '?'}] ${entry.msg}${error}${kafka}`.slice(0, 300);
}
