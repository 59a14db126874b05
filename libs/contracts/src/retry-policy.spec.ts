import { RETRY_MAX_BACKOFF_MS, retryDelayMs } from './retry-policy';

describe('retryDelayMs', () => {
  it('allows no retry without a policy', () => {
    expect(retryDelayMs(null, 1)).toBeNull();
  });

  it('doubles the backoff before each further try until the tries are used up', () => {
    const policy = { maxAttempts: 4, backoffMs: 250 };
    expect([1, 2, 3, 4].map((failed) => retryDelayMs(policy, failed))).toEqual([250, 500, 1000, null]);
  });

  it('never waits longer than the maximum backoff', () => {
    expect(retryDelayMs({ maxAttempts: 10, backoffMs: RETRY_MAX_BACKOFF_MS / 2 }, 5)).toBe(RETRY_MAX_BACKOFF_MS);
  });
});
