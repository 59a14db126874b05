import { loadConfig } from '@hookline/config';
import type { ConfigStore } from '@hookline/persistence';
import { ProviderRateLimits, TokenBucket } from './provider-rate-limits';

describe('TokenBucket', () => {
  it('allows a burst, then one request per refill interval', () => {
    const bucket = new TokenBucket({ perSecond: 2, burst: 3 }, 0);
    for (let i = 0; i < 3; i++) {
      expect(bucket.waitMs(0)).toBe(0);
      bucket.take(0);
    }
    expect(bucket.waitMs(0)).toBe(500);
    expect(bucket.waitMs(499)).toBe(1);
    expect(bucket.waitMs(500)).toBe(0);
  });

  it('never holds more than its burst', () => {
    const bucket = new TokenBucket({ perSecond: 100, burst: 2 }, 0);
    bucket.take(0);
    bucket.take(0);
    expect(bucket.waitMs(60_000)).toBe(0);
    bucket.take(60_000);
    bucket.take(60_000);
    expect(bucket.waitMs(60_000)).toBe(10);
  });
});

describe('ProviderRateLimits', () => {
  const rows = [
    { providerId: 'p1', providerName: 'GitHub', uri: 'git/push', rateLimit: { perSecond: 1, burst: 2 } },
    { providerId: 'p2', providerName: 'Slow', uri: 'git/push', rateLimit: { perSecond: 0.1, burst: 1 } },
    { providerId: 'p1', providerName: 'GitHub', uri: 'git/tag', rateLimit: { perSecond: 1, burst: 2 } },
  ];
  const revision = 1;
  const store = {
    revision: async () => revision,
    rateLimits: async () => ({ revision, rows }),
  } as unknown as ConfigStore;
  const limits = async () => {
    const limiter = new ProviderRateLimits(loadConfig({}), store);
    await limiter.onApplicationBootstrap();
    await limiter.onApplicationShutdown();
    return limiter;
  };

  it('lets through what no limited provider has a function for', async () => {
    const limiter = await limits();
    for (let i = 0; i < 100; i++) expect(limiter.admit('other')).toEqual({ allowed: true });
  });

  it('charges a webhook to every limited provider at its URI, and refuses it when one has no token', async () => {
    const limiter = await limits();
    // Time stands still from here: the buckets were filled when the limits were read, before now.
    const now = Date.now();

    expect(limiter.admit('git/push', now)).toEqual({ allowed: true });
    const refused = limiter.admit('git/push', now);

    expect(refused).toEqual({
      allowed: false,
      provider: 'Slow',
      limit: { perSecond: 0.1, burst: 1 },
      retryAfterMs: 10_000,
    });
    // GitHub's bucket paid only for the accepted one: one token left for its other URI.
    expect(limiter.admit('git/tag', now)).toEqual({ allowed: true });
    expect(limiter.admit('git/tag', now)).toMatchObject({ allowed: false, provider: 'GitHub', retryAfterMs: 1000 });
  });
});
