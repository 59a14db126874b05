import { Cleanup } from './cleanup';
import { addMachineLoad } from './machine';
import { startDistributed, startEmbedded, type Deployment } from './deployments';
import { checkSharedBroker, checkSharedBrokerAfter } from './kafka-check';
import { reportServiceLogs } from './logs';
import type { LoadResult } from './load';
import {
  measureAsyncIngest,
  measureEndToEnd,
  measureIngressAlone,
  measureReference,
  measureSync,
} from './measurements';
import { measureMemory } from './memory';
import type { BenchOptions, Mode } from './options';
import type { Report, Section } from './report';

/** Runs one mode's measurements; its processes, database and group are gone when it returns. */
export async function runMode(mode: Mode, options: BenchOptions, report: Report, cleanup: Cleanup, runDir: string) {
  // The mode's own undo steps, run at its end so the next mode has the machine to itself.
  const scope = new Cleanup();
  const release = cleanup.add(`${mode} clean-up`, () => scope.runAll());
  try {
    if (mode === 'distributed') await runDistributed(options, report, scope, runDir);
    else await runEmbedded(options, report, scope, runDir);
  } finally {
    await release();
  }
}

async function runDistributed(options: BenchOptions, report: Report, scope: Cleanup, runDir: string) {
  const setup = report.section('distributed.setup', 'distributed · setup');
  await addMachineLoad(report, setup, 'the distributed run');
  await checkSharedBroker(options.kafkaBrokers!, report);
  const stages = await startDistributed(
    { databaseUrl: options.databaseUrl!, kafkaBrokers: options.kafkaBrokers!, keep: options.keep },
    scope,
    report,
    runDir,
  );

  // The reference and the ingress alone, back to back with the same load: their ratio is the figure.
  const reference = await stages.startReference();
  let baseline: LoadResult;
  try {
    baseline = await measureReference(reference.url, options, report);
  } finally {
    // Its logs are reported with the services'.
    await reference.stop();
  }
  const deployment = await stages.startIngress();
  addStartup(setup, deployment);
  try {
    await measureIngressAlone({ mode: 'distributed', ...deployment }, baseline, stages.startConsumers, options, report);
    await measureAll('distributed', deployment, options, report);
    await checkSharedBrokerAfter(options.kafkaBrokers!, report);
  } finally {
    reportServiceLogs(report, deployment.services);
  }
}

async function runEmbedded(options: BenchOptions, report: Report, scope: Cleanup, runDir: string) {
  const setup = report.section('embedded.setup', 'embedded · setup');
  await addMachineLoad(report, setup, 'the embedded run');
  const deployment = await startEmbedded('embedded', scope, report, runDir, options.embeddedDatabaseUrl);
  addStartup(setup, deployment);
  try {
    await measureAll('embedded', deployment, options, report);
  } finally {
    reportServiceLogs(report, deployment.services);
  }
  await Promise.all(deployment.services.map((service) => service.stop()));
  if (options.skipRss) return;

  // A fresh process, so the figures are those of one burst and not of the runs before it.
  const freshSetup = report.section('embedded.memory_setup', 'embedded · memory run setup');
  await addMachineLoad(report, freshSetup, 'the memory run');
  const fresh = await startEmbedded('embedded-memory', scope, report, runDir, options.embeddedDatabaseUrl);
  addStartup(freshSetup, fresh);
  try {
    await measureMemory(fresh, fresh.services[0], options, report);
  } finally {
    reportServiceLogs(report, fresh.services);
  }
}

async function measureAll(mode: Mode, deployment: Deployment, options: BenchOptions, report: Report) {
  const target = { mode, ...deployment };
  await measureAsyncIngest(target, options, report);
  await measureEndToEnd(target, options, report);
  await measureSync(target, options, report);
  addMemory(report.section(`${mode}.rss`, `${mode} · resident memory after the load`), deployment);
}

/** Start-up time, and memory before any load. */
function addStartup(section: Section, deployment: Deployment) {
  section.add('ready_s', deployment.startupS);
  addMemory(section, deployment);
}

/** Each process's VmRSS now, and VmHWM: its highest so far (for PGlite, reached while starting). */
function addMemory(section: Section, deployment: Deployment) {
  for (const service of deployment.services) {
    const memory = service.memory();
    if (!memory) continue;
    section
      .add(`${service.name}_rss_mb`, Math.round(memory.rssMb))
      .add(`${service.name}_peak_mb`, Math.round(memory.peakMb));
  }
}
