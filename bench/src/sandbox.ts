import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Report } from './report';

const SANDBOX_BENCH = resolve(__dirname, '../../libs/sandbox/bench/sandbox.bench.ts');

/** The sandbox's own micro-benchmark, when its module is there and exports runSandboxBench(). */
export async function runSandboxBench(report: Report): Promise<void> {
  const section = report.section('sandbox', 'sandbox · libs/sandbox/bench/sandbox.bench.ts (in the bench process)');
  if (!existsSync(SANDBOX_BENCH)) {
    report.info('skipped: the file does not exist');
    return;
  }
  try {
    // Loaded by path at run time: the module is optional and may not compile while it is written.
    const module = (await import(SANDBOX_BENCH)) as { runSandboxBench?: () => Promise<Record<string, number>> };
    if (typeof module.runSandboxBench !== 'function') {
      report.info('skipped: the module does not export runSandboxBench()');
      return;
    }
    const figures = await module.runSandboxBench();
    for (const [name, value] of Object.entries(figures)) section.add(name, value);
  } catch (error) {
    report.anomaly(`sandbox bench failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
