import type { ConfigSnapshot, ConfigStore } from '@hookline/persistence';
import { SecretCipher } from '@hookline/secrets';
import { ConfigCache } from './config-cache';

/**
 * When the cache checks the configuration's revision: a message is handled with configuration at
 * least as new as its arrival, told by the revision stored with it or, without one, by a check
 * that started after it arrived.
 */
describe('ConfigCache: checks for a newer configuration only when it may be stale', () => {
  let revision: number;
  let checks: number;
  const store = {
    revision: async () => {
      checks++;
      return revision;
    },
    snapshot: async (): Promise<ConfigSnapshot> => ({ revision, providers: [], functions: [] }),
  } as unknown as ConfigStore;
  const cipher = new SecretCipher([]);

  beforeEach(() => {
    revision = 7;
    checks = 0;
  });

  it('trusts a view as new as the revision the message was stored with, however late it arrived', async () => {
    const cache = new ConfigCache(store, cipher);
    await cache.refresh();
    checks = 0;

    const later = new Date(Date.now() + 60_000);
    expect((await cache.asOf(later, 7)).revision).toBe(7);
    expect((await cache.asOf(later, 6)).revision).toBe(7);
    expect(checks).toBe(0);
  });

  it('checks when the message was stored with a newer revision, and reloads', async () => {
    const cache = new ConfigCache(store, cipher);
    await cache.refresh();
    checks = 0;
    revision = 8;

    expect((await cache.asOf(new Date(0), 8)).revision).toBe(8);
    expect(checks).toBe(1);
  });

  it('checks, without a revision, for a message that arrived after the last check', async () => {
    const cache = new ConfigCache(store, cipher);
    await cache.refresh();
    checks = 0;

    expect((await cache.asOf(new Date(0))).revision).toBe(7);
    expect(checks).toBe(0);
    revision = 9;
    expect((await cache.asOf(new Date(Date.now() + 10))).revision).toBe(9);
    expect(checks).toBe(1);
  });
});
