import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Cleanup } from './cleanup';
import { addMachineLoad } from './machine';
import { runMode } from './modes';
import { parseOptions, USAGE, type BenchOptions } from './options';
import { Report } from './report';
import { runSandboxBench } from './sandbox';
import { printTargets } from './targets';

/** `npm run bench`: starts Hookline, loads it, prints figures. Not a test: nothing is asserted. */
async function main(): Promise<number> {
  let options: BenchOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }

  const report = new Report();
  const cleanup = new Cleanup();
  const interrupt = (signal: NodeJS.Signals) => {
    console.log(`\n${signal}: stopping the services and cleaning up (again to force)…`);
    void cleanup.runAll().finally(() => {
      report.printSummary();
      printTargets(report);
      process.exit(130);
    });
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  const runDir = mkdtempSync(join(tmpdir(), 'hookline-bench-'));
  if (!options.keep) cleanup.add(`remove ${runDir}`, () => rmSync(runDir, { recursive: true, force: true }));

  console.log(`hookline bench · node ${process.version} · logs and data in ${runDir}${options.keep ? ' (kept)' : ''}`);
  if (options.skippedDistributed) {
    console.log(`distributed mode skipped: ${options.skippedDistributed} (set both to run it); running embedded only`);
  }

  const machine = report
    .section('machine', 'machine')
    .add('cpus', cpus().length)
    .add('memory_gib', Math.round(totalmem() / 2 ** 30));
  await addMachineLoad(report, machine, 'the bench');

  let failed = false;
  try {
    if (!options.skipSandbox) await runSandboxBench(report);
    for (const mode of options.modes) {
      try {
        await runMode(mode, options, report, cleanup, runDir);
      } catch (error) {
        failed = true;
        report.anomaly(`${mode} run aborted: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    await cleanup.runAll();
  }
  report.printSummary();
  printTargets(report);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
