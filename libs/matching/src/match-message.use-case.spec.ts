import { loadConfig } from '@hookline/config';
import { RUN_BY_HEADER, Topics, type JobEvent, type MessageReceivedEvent } from '@hookline/contracts';
import type { RecordedPlan, RunPlan, RunStore, StartedExecution } from '@hookline/persistence';
import type { ConfigCache, JobRunner, ReplyPublisher } from '@hookline/pipeline';
import type { ScriptSandbox } from '@hookline/sandbox';
import type { Bus, OutgoingRecord } from '@hookline/transport';
import { MatchMessageUseCase } from './match-message.use-case';

/**
 * Where a planned job goes: to the executors over the jobs topic, or, for a sync run, to the
 * matcher's own JobRunner with the jobs still published (marked). The store, configuration and
 * sandbox are stand-ins that match every message and plan two functions; the behaviour suites run
 * the same path on the real ones (test/sync-runs.integration-spec.ts).
 */
describe('MatchMessageUseCase: who runs the jobs', () => {
  const published: Array<{ topic: string; records: OutgoingRecord[] }> = [];
  const plans: RunPlan[] = [];
  const STARTED_AT = new Date('2026-12-07T12:00:00Z');
  let publishError: Error | null;
  const bus = {
    publish: async (topic: string, records: OutgoingRecord[]) => {
      await Promise.resolve();
      if (publishError) throw publishError;
      published.push({ topic, records });
    },
  } as unknown as Bus;
  const runs = {
    recordPlan: async (plan: RunPlan): Promise<RecordedPlan> => {
      plans.push(plan);
      return { ...plan, deduplicated: false, startedAt: plan.start ? STARTED_AT : null };
    },
  } as unknown as RunStore;
  const functions = [
    { id: 'f1', name: 'One' },
    { id: 'f2', name: 'Two' },
  ];
  const config = {
    asOf: async () => ({
      activeProviders: [{ id: 'p1', name: 'Any', matchScript: 'return true', dedupHeader: null }],
      functionsFor: () => functions,
    }),
  } as unknown as ConfigCache;
  const sandbox = { run: async () => ({ ok: true, matched: true, logs: [] }) } as unknown as ScriptSandbox;
  const replies = {} as ReplyPublisher;

  const event = (sync: boolean): MessageReceivedEvent =>
    ({
      messageId: 'm1',
      run: 0,
      runStartedAt: new Date().toISOString(),
      request: { method: 'POST', uri: 'a', query: {}, headers: {}, body: '', remoteAddress: '127.0.0.1' },
      replyTo: sync ? { correlationId: 'm1' } : null,
      resubmittedBy: null,
    }) as unknown as MessageReceivedEvent;

  const useCase = (runner: JobRunner | undefined, syncRuns = 16) =>
    new MatchMessageUseCase(
      bus,
      runs,
      config,
      sandbox,
      replies,
      loadConfig({ MATCHER_SYNC_RUNS: String(syncRuns) }),
      runner,
    );

  class Runner implements JobRunner {
    readonly ran: JobEvent[] = [];
    readonly started: Array<StartedExecution | undefined> = [];
    constructor(private readonly fail = false) {}
    async execute(job: JobEvent, started?: StartedExecution): Promise<void> {
      await Promise.resolve();
      if (this.fail) throw new Error('the database did not answer');
      this.ran.push(job);
      this.started.push(started);
    }
  }

  const jobRecords = () =>
    published
      .filter((p) => p.topic === Topics.Jobs)
      .flatMap((p) => p.records)
      .map((r) => ({ executionId: JSON.parse(r.value.toString()).executionId, runBy: r.headers?.[RUN_BY_HEADER] }));

  beforeEach(() => {
    published.length = 0;
    plans.length = 0;
    publishError = null;
  });

  it('runs the jobs of a sync run itself, started by the plan, and publishes them marked, one record per function', async () => {
    const runner = new Runner();
    await useCase(runner).execute(event(true));
    expect(plans.map((plan) => plan.start)).toEqual([true]);
    expect(runner.ran.map((job) => job.functionId)).toEqual(['f1', 'f2']);
    expect(runner.started).toEqual([
      { attempt: 1, try: 1, functionId: 'f1', functionName: 'One', startedAt: STARTED_AT },
      { attempt: 1, try: 1, functionId: 'f2', functionName: 'Two', startedAt: STARTED_AT },
    ]);
    expect(jobRecords()).toEqual(runner.ran.map((job) => ({ executionId: job.executionId, runBy: 'matcher' })));
  });

  it('leaves the jobs of an async run to the executors', async () => {
    const runner = new Runner();
    await useCase(runner).execute(event(false));
    expect(runner.ran).toEqual([]);
    expect(plans.map((plan) => plan.start)).toEqual([false]);
    expect(jobRecords().map((r) => r.runBy)).toEqual([undefined, undefined]);
  });

  it('leaves a sync run to the executors when it would run more than MATCHER_SYNC_RUNS jobs here, or has no runner', async () => {
    const runner = new Runner();
    await useCase(runner, 1).execute(event(true));
    await useCase(runner, 0).execute(event(true));
    await useCase(undefined).execute(event(true));
    expect(runner.ran).toEqual([]);
    expect(plans.map((plan) => plan.start)).toEqual([false, false, false]);
    expect(jobRecords().map((r) => r.runBy)).toEqual(Array(6).fill(undefined));
  });

  it('hands a job it failed to run to the executors, unmarked', async () => {
    await useCase(new Runner(true)).execute(event(true));
    const records = jobRecords();
    expect(records.filter((r) => r.runBy === 'matcher')).toHaveLength(2);
    const handedOver = records.filter((r) => r.runBy === undefined);
    expect(handedOver.map((r) => r.executionId).sort()).toEqual(
      records
        .filter((r) => r.runBy === 'matcher')
        .map((r) => r.executionId)
        .sort(),
    );
  });

  it('fails the record only once every job it runs has ended, when the marked jobs could not be published', async () => {
    publishError = new Error('Kafka did not acknowledge hookline.jobs.v1 within 5000 ms');
    const runner = new Runner();
    await expect(useCase(runner).execute(event(true))).rejects.toThrow(/did not acknowledge/);
    expect(runner.ran.map((job) => job.functionId)).toEqual(['f1', 'f2']);
  });

  it('counts the jobs it runs against MATCHER_SYNC_RUNS while they run, and frees them after', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const ran: string[] = [];
    const slow: JobRunner = {
      execute: async (job) => {
        await gate;
        ran.push(job.executionId);
      },
    };
    const matcher = useCase(slow, 3);
    const first = matcher.execute(event(true)); // 2 of 3 taken
    await new Promise((resolve) => setImmediate(resolve));
    await matcher.execute(event(true)); // 2 more would be 4: to the executors
    release();
    await first;
    await matcher.execute(event(true)); // free again
    expect(ran).toHaveLength(4);
    expect(jobRecords().map((r) => r.runBy)).toEqual([
      'matcher',
      'matcher',
      undefined,
      undefined,
      'matcher',
      'matcher',
    ]);
  });
});
