/** Options of {@link eventually}. */
export interface EventuallyOptions {
  /** What is awaited, for the error when it never happens. */
  what?: string;
  /** Generous on purpose: a busy 2-core machine is slow, and a passing test never waits this long. */
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Reads `read()` until `done` holds for what it returned, and returns that value. Tests wait for a
 * condition with this instead of sleeping a fixed time and hoping it was long enough.
 */
export async function eventually<T>(
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  { what = 'a condition', timeoutMs = 20_000, intervalMs = 10 }: EventuallyOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${describe(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Waits until `condition()` is true. */
export async function until(condition: () => boolean | Promise<boolean>, options?: EventuallyOptions): Promise<void> {
  await eventually(condition, (met) => met, options);
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 500) ?? String(value);
  } catch {
    return String(value);
  }
}
