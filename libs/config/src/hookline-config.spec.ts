import { ConfigError } from './env-reader';
import { loadConfig } from './hookline-config';

describe('loadConfig', () => {
  it('has defaults for everything: embedded, port 3000, 1 MiB bodies', () => {
    const config = loadConfig({});
    expect(config.http).toMatchObject({ port: 3000, maxBodyBytes: 1024 * 1024 });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.kafka.brokers).toEqual([]);
  });

  it('names every bad variable in one error', () => {
    expect(() => loadConfig({ PORT: 'eighty', SYNC_TIMEOUT_MS: '-1', KAFKA_BROKERS: 'a:1, b:2' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty', SYNC_TIMEOUT_MS: '-1' })).toThrow(
      /PORT must be a whole number from 0 to 65535, got 'eighty'[\s\S]*SYNC_TIMEOUT_MS must be a whole number/,
    );
  });

  it('splits lists', () => {
    expect(loadConfig({ KAFKA_BROKERS: 'a:1, b:2,' }).kafka.brokers).toEqual(['a:1', 'b:2']);
  });
});
