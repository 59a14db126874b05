import { createLogger } from '@hookline/config';

/** glibc's `malloc_trim(0)`, called two ways. */
export interface NativeHeapTrim {
  /** On the calling thread: for idle time, when nobody waits on the event loop. */
  now(): void;
  /**
   * On a thread of koffi's pool, so the event loop goes on while glibc walks its heaps (measured
   * under load: 5–47 ms a trim). Allocations from an arena wait while it is being trimmed.
   */
  inBackground(): Promise<void>;
}

/**
 * glibc's `malloc_trim(0)`, or null where the process has no glibc (musl, macOS) or no binary of
 * koffi (the FFI library that reaches it) for its platform.
 *
 * Why: Node's buffers, PGlite's and isolated-vm's native allocations come from glibc's heap, and
 * glibc gives freed memory back to the system only from the heap's top. After a burst a few live
 * allocations pin it: measured after 100,000 webhooks embedded, the heap held 370 MB of which
 * almost all was free, and `malloc_trim(0)` (which releases the free pages anywhere in the heap)
 * took the process's RSS from 596 MB to 263 MB. Under load the same creep raised the embedded
 * process's main heap from 23 to 155 MB over a memory run, where it stayed; trimmed under load, it
 * fell back to 70–100 MB after each of V8's full collections.
 */
export async function nativeHeapTrimmer(): Promise<NativeHeapTrim | null> {
  if (process.platform !== 'linux' || !glibcVersion()) return null;
  try {
    const koffi = await import('koffi');
    const trim = koffi.load('libc.so.6').func('int malloc_trim(size_t)');
    return {
      now: () => void trim(0),
      inBackground: () =>
        new Promise<void>((done, failed) => trim.async(0, (error: unknown) => (error ? failed(error) : done()))),
    };
  } catch (error) {
    createLogger('memory').info(
      { err: error },
      'malloc_trim is out of reach: freed native memory stays with the process',
    );
    return null;
  }
}

/** The glibc the process runs on, as Node's diagnostic report says; undefined on musl. */
function glibcVersion(): string | undefined {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime;
}
