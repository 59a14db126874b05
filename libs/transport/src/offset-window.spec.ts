import { OffsetWindow } from './offset-window';

describe('OffsetWindow', () => {
  it('commits one past the longest run of finished records, never past one still running', () => {
    const window = new OffsetWindow(4);
    const [a, b, c] = [10n, 11n, 12n].map((offset) => window.start(0, offset));
    window.finish(b, true);
    window.finish(c, true);
    expect(window.takeCommittable()).toEqual([]);
    window.finish(a, true);
    expect(window.takeCommittable()).toEqual([{ partition: 0, offset: '13' }]);
    expect(window.takeCommittable()).toEqual([]);
  });

  it('keeps partitions apart, and bounds the records running in each', () => {
    const window = new OffsetWindow(2);
    const first = window.start(0, 0n);
    window.start(0, 1n);
    const other = window.start(1, 5n);
    expect(window.full(0)).toBe(true);
    expect(window.full(1)).toBe(false);
    expect(window.running).toBe(3);
    window.finish(other, true);
    window.finish(first, true);
    expect(window.full(0)).toBe(false);
    expect(window.takeCommittable()).toEqual([
      { partition: 0, offset: '1' },
      { partition: 1, offset: '6' },
    ]);
  });

  it('never commits past a record that failed, and takes a failed commit again', () => {
    const window = new OffsetWindow(8);
    const [a, b, c] = [0n, 1n, 2n].map((offset) => window.start(0, offset));
    window.finish(a, true);
    window.finish(b, false);
    window.finish(c, true);
    const taken = window.takeCommittable();
    expect(taken).toEqual([{ partition: 0, offset: '1' }]);
    window.uncommitted(taken);
    expect(window.takeCommittable()).toEqual([{ partition: 0, offset: '1' }]);
    expect(window.running).toBe(0);
  });

  it('forgets uncommitted progress when the assignment changes, but still counts the records running', () => {
    const window = new OffsetWindow(1);
    const a = window.start(0, 0n);
    const b = window.start(1, 0n);
    window.finish(b, true);
    window.reassigned();
    expect(window.current(a)).toBe(false);
    expect(window.full(0)).toBe(true);
    window.finish(a, true);
    expect(window.full(0)).toBe(false);
    expect(window.takeCommittable()).toEqual([]);
  });

  it('wakes a waiter when a slot frees, and otherwise after its time', async () => {
    const window = new OffsetWindow(1);
    const ticket = window.start(0, 0n);
    const woken = window.changed(60_000);
    window.finish(ticket, true);
    await woken;
    const started = Date.now();
    await window.changed(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });
});
