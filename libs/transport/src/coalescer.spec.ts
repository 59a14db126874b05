import { Coalescer } from './coalescer';

describe('Coalescer', () => {
  it('sends the items of one turn together, and the ones that arrive while it is under way together', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const coalescer = new Coalescer<number, number>(
      async (items) => {
        batches.push(items);
        if (batches.length === 1) await gate;
        return items.map((n) => n * 10);
      },
      { maxBatch: 100, maxInFlight: 1 },
    );

    const first = [1, 2].map((n) => coalescer.submit(n));
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [3, 4, 5].map((n) => coalescer.submit(n));
    release();

    expect(await Promise.all([...first, ...rest])).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
  });

  it('holds the first item of an idle coalescer for waitMs, gathering later turns; settle sends them at once', async () => {
    const batches: number[][] = [];
    const coalescer = new Coalescer<number, number>(
      async (items) => {
        batches.push(items);
        return items;
      },
      { maxBatch: 100, maxInFlight: 1, waitMs: 60_000 },
    );
    const turn = () => new Promise((resolve) => setImmediate(resolve));

    const submitted = [coalescer.submit(1)];
    await turn();
    submitted.push(coalescer.submit(2));
    await turn();
    submitted.push(coalescer.submit(3));
    await turn();
    expect(batches).toEqual([]);

    await coalescer.settle();

    expect(batches).toEqual([[1, 2, 3]]);
    expect(await Promise.all(submitted)).toEqual([1, 2, 3]);
  });

  it('fails every item of a failed batch and goes on with the next', async () => {
    let calls = 0;
    const coalescer = new Coalescer<string, string>(
      async (items) => {
        if (calls++ === 0) throw new Error('down');
        return items;
      },
      { maxBatch: 10, maxInFlight: 1 },
    );

    await expect(coalescer.submit('a')).rejects.toThrow('down');
    await expect(coalescer.submit('b')).resolves.toBe('b');
  });

  it('never puts more than maxBatch items in one batch', async () => {
    const sizes: number[] = [];
    const coalescer = new Coalescer<number, void>(
      async (items) => {
        sizes.push(items.length);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return items.map(() => undefined);
      },
      { maxBatch: 3, maxInFlight: 1 },
    );

    await Promise.all(Array.from({ length: 10 }, (_, n) => coalescer.submit(n)));

    expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
    expect(sizes.reduce((a, b) => a + b)).toBe(10);
  });
});
