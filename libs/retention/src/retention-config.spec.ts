import { loadConfig } from '@hookline/config';

describe('retention configuration', () => {
  it('keeps messages 7 days by default and purges every 10 minutes in batches of 1000', () => {
    expect(loadConfig({}).retention).toEqual({ days: 7, intervalMs: 600_000, batchSize: 1000 });
  });

  it('refuses fewer than one day, naming the variable', () => {
    expect(() => loadConfig({ RETENTION_DAYS: '0' })).toThrow(/RETENTION_DAYS must be a whole number from 1/);
    expect(() => loadConfig({ RETENTION_BATCH_SIZE: 'lots' })).toThrow(/RETENTION_BATCH_SIZE must be a whole number/);
  });
});
