import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fullCollection } from './idle-collector';
import { nativeHeapTrimmer, type NativeHeapTrim } from './native-heap';

const MB = 1024 * 1024;

/**
 * Resident bytes of glibc's main heap (the `[heap]` mapping), where the main thread's small
 * mallocs go. Not the process's RSS: in a jest worker, what earlier spec files left behind is
 * collected and unmapped while this one runs, and moved the RSS by more than the test's 200 MB.
 */
function mainHeapResident(): number {
  const smaps = readFileSync('/proc/self/smaps', 'utf8').split('\n');
  const start = smaps.findIndex((line) => line.endsWith('[heap]'));
  if (start < 0) return 0;
  const rss = smaps.slice(start + 1).find((line) => line.startsWith('Rss:'));
  return Number(/(\d+) kB/.exec(rss ?? '')?.[1] ?? 0) * 1024;
}

/** Leaves 200 MB of freed native memory that live allocations pin inside the heap. */
async function fragmentedHeap(trim: NativeHeapTrim) {
  // What earlier specs left (garbage, free space in the heap) would take the buffers below
  // without raising the resident size (measured: 31 MB, and 49 MB when their garbage was
  // collected during the allocations, for 200 MB of buffers). Collected and trimmed first, it
  // is neither pending nor resident.
  fullCollection()();
  await sleep(200);
  trim.now();
  const baseline = mainHeapResident();
  // 1 KiB buffers outside Node's pool, each its own malloc; one in 64 stays alive, so the free
  // space between them is not at the heap's top and free() alone cannot give it back.
  let buffers: Buffer[] | null = Array.from({ length: 200_000 }, () => Buffer.allocUnsafeSlow(1024).fill(1));
  const pinned = buffers.filter((_, i) => i % 64 === 0);
  buffers = null;
  fullCollection()();
  await sleep(200); // V8 frees the buffers' memory on a background thread after the collection
  const fragmented = mainHeapResident();
  expect(fragmented - baseline).toBeGreaterThan(100 * MB);
  return { fragmented, pinned };
}

describe('nativeHeapTrimmer', () => {
  it('gives back freed native memory that live allocations pin inside the heap', async () => {
    const trim = await nativeHeapTrimmer();
    // Linux with glibc, as on the machines and the image Hookline ships for.
    expect(trim).not.toBeNull();
    const { fragmented, pinned } = await fragmentedHeap(trim!);

    trim!.now();
    expect(mainHeapResident()).toBeLessThan(fragmented - 100 * MB);
    expect(pinned.every((buffer) => buffer[0] === 1)).toBe(true);
  });

  it('does the same on another thread, for a process under load', async () => {
    const trim = (await nativeHeapTrimmer())!;
    const { fragmented, pinned } = await fragmentedHeap(trim);

    await trim.inBackground();
    expect(mainHeapResident()).toBeLessThan(fragmented - 100 * MB);
    expect(pinned.every((buffer) => buffer[0] === 1)).toBe(true);
  });
});
