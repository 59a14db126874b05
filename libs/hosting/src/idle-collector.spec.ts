import type { EventLoopUtilization } from 'node:perf_hooks';
import { fullCollection, IdleCollector } from './idle-collector';

const MB = 1024 * 1024;

/** A process whose heap size and event-loop load the test sets between looks. */
function fakeProcess() {
  const state = { footprint: 100 * MB, busy: 0, collections: 0, afterCollection: 60 * MB, trims: 0, afterTrim: 0 };
  const trim = { finish: () => {} };
  const loop = (since?: EventLoopUtilization): EventLoopUtilization =>
    since ? { idle: 0, active: 0, utilization: state.busy } : { idle: 0, active: 0, utilization: 0 };
  const collector = new IdleCollector(
    () => {
      state.collections++;
      state.footprint = state.afterCollection;
    },
    {
      intervalMs: 1000,
      idleUtilization: 0.05,
      growthBytes: 64 * MB,
      busyTrimGrowthBytes: 16 * MB,
      trimWhileBusy: () => {
        state.trims++;
        return new Promise<void>((done) => {
          trim.finish = () => {
            state.footprint = state.afterTrim;
            done();
          };
        });
      },
    },
    () => state.footprint,
    loop,
  );
  return { state, collector, trim };
}

describe('IdleCollector', () => {
  it('collects once when the process went quiet after its heap grew, then waits for more growth', () => {
    const { state, collector } = fakeProcess();
    collector.start();
    state.footprint = 300 * MB;
    state.busy = 0.9;
    expect(collector.check()).toBe(false);

    state.busy = 0.01;
    expect(collector.check()).toBe(true);
    expect(state.collections).toBe(1);
    expect(collector.check()).toBe(false);

    state.footprint = 60 * MB + 63 * MB;
    expect(collector.check()).toBe(false);
    state.footprint = 60 * MB + 65 * MB;
    expect(collector.check()).toBe(true);
    expect(state.collections).toBe(2);
    collector.stop();
  });

  it('leaves a busy process alone however much it grew, and a quiet one that did not grow', () => {
    const { state, collector } = fakeProcess();
    collector.start();
    state.busy = 0.2;
    state.footprint = 900 * MB;
    expect(collector.check()).toBe(false);

    const quiet = fakeProcess();
    quiet.collector.start();
    expect(quiet.collector.check()).toBe(false);
    expect(quiet.state.collections).toBe(0);
    collector.stop();
    quiet.collector.stop();
  });

  it('trims a busy process in the background once it grew, one trim at a time, and counts again from where the trim left it', async () => {
    const { state, collector, trim } = fakeProcess();
    const trimsAt = (footprintMb: number) => {
      state.footprint = footprintMb * MB;
      collector.check();
      return state.trims;
    };
    collector.start();
    state.busy = 0.9;
    expect(trimsAt(115)).toBe(0);
    expect(trimsAt(117)).toBe(1);
    expect(trimsAt(200)).toBe(1); // the first one still runs

    state.afterTrim = 150 * MB;
    trim.finish();
    await new Promise((done) => setImmediate(done));
    expect(trimsAt(165)).toBe(1);
    expect(trimsAt(167)).toBe(2);
    expect(state.collections).toBe(0);
    collector.stop();
  });

  it('reaches V8’s full collection without --expose-gc, and it frees garbage', () => {
    const collect = fullCollection();
    let garbage: unknown[] | null = Array.from({ length: 300_000 }, (_, i) => ({ i, text: `item ${i}` }));
    const withGarbage = process.memoryUsage().heapUsed;
    garbage = null;
    collect();
    expect(garbage).toBeNull();
    expect(process.memoryUsage().heapUsed).toBeLessThan(withGarbage - 10 * MB);
  });
});
