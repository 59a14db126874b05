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

  it('traces nothing unless OTEL_TRACES_EXPORTER names an exporter', () => {
    expect(loadConfig({}).tracing).toEqual({
      exporters: [],
      serviceName: undefined,
      sampler: { name: 'parentbased_always_on', ratio: 1 },
    });
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'none' }).tracing.exporters).toEqual([]);
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp, console', OTEL_SERVICE_NAME: 'edge' }).tracing).toMatchObject({
      exporters: ['otlp', 'console'],
      serviceName: 'edge',
    });
    expect(
      loadConfig({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }).tracing.sampler,
    ).toEqual({ name: 'parentbased_traceidratio', ratio: 0.25 });
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' }).tracing.exporters).toEqual([]);
    expect(() => loadConfig({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(
      /OTEL_TRACES_EXPORTER must list otlp, console or none, got 'jaeger'/,
    );
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(
      /OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1/,
    );
  });
});
