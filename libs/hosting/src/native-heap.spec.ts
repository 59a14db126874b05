import { setTimeout as sleep } from 'node:timers/promises';
import { fullCollection } from './idle-collector';
import { nativeHeapTrimmer } from './native-heap';

const MB = 1024 * 1024;
const rss = () => process.memoryUsage.rss();

describe('nativeHeapTrimmer', () => {
  it('gives back freed native memory that live allocations pin inside the heap', async () => {
    const trim = await nativeHeapTrimmer();
    // Linux with glibc, as on the machines and the image Hookline ships for.
    expect(trim).not.toBeNull();
    // Free space the worker's earlier tests left in the heap would take the buffers below without
    // raising RSS (measured: 31 MB for 200 MB of buffers); trimmed first, it is no longer resident.
    trim!();
    const baseline = rss();
    // 1 KiB buffers outside Node's pool, each its own malloc; one in 64 stays alive, so the free
    // space between them is not at the heap's top and free() alone cannot give it back.
    let buffers: Buffer[] | null = Array.from({ length: 200_000 }, () => Buffer.allocUnsafeSlow(1024).fill(1));
    const pinned = buffers.filter((_, i) => i % 64 === 0);
    buffers = null;
    fullCollection()();
    await sleep(200); // V8 frees the buffers' memory on a background thread after the collection
    const fragmented = rss();
    expect(fragmented - baseline).toBeGreaterThan(100 * MB);

    trim!();
    expect(rss()).toBeLessThan(fragmented - 100 * MB);
    expect(pinned.every((buffer) => buffer[0] === 1)).toBe(true);
  });
});
