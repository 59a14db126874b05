import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { loadConfig } from '@hookline/config';
import {
  contextFromHeaders,
  inSpan,
  startTracing,
  stopTracing,
  traceHeaders,
  traceLogFields,
  tracingEnabled,
} from './tracing';

describe('tracing', () => {
  afterEach(() => stopTracing());

  it('is off unless an exporter is configured: no SDK, spans are no-ops, nothing is propagated', async () => {
    startTracing(loadConfig({}).tracing, 'test');
    expect(tracingEnabled()).toBe(false);
    const seen = await inSpan('work', {}, async (span) => span.isRecording());
    expect(seen).toBe(false);
    expect(traceHeaders()).toEqual({});
    expect(traceLogFields()).toEqual({});
  });

  it('propagates W3C trace context and keeps the sampled flag', async () => {
    const exporter = new InMemorySpanExporter();
    startTracing(loadConfig({}).tracing, 'test', { exporter });
    const headers = await inSpan('parent', {}, async () => traceHeaders());
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const remote = trace.getSpanContext(contextFromHeaders(headers))!;
    const [parent] = exporter.getFinishedSpans();
    expect(remote).toMatchObject({ traceId: parent.spanContext().traceId, spanId: parent.spanContext().spanId });
    expect(parent.resource.attributes['service.name']).toBe('hookline-test');
  });

  it('honours the sampler: always_off records nothing, yet the API stays usable', async () => {
    const exporter = new InMemorySpanExporter();
    startTracing(loadConfig({ OTEL_TRACES_SAMPLER: 'always_off' }).tracing, 'test', { exporter });
    await inSpan('dropped', {}, async () => undefined);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('names the service OTEL_SERVICE_NAME says, and logs the active span ids', async () => {
    const exporter = new InMemorySpanExporter();
    startTracing(loadConfig({ OTEL_SERVICE_NAME: 'edge' }).tracing, 'test', { exporter });
    const fields = await inSpan('logged', {}, async (span) => ({ fields: traceLogFields(), span }));
    expect(fields.fields).toEqual({
      traceId: fields.span.spanContext().traceId,
      spanId: fields.span.spanContext().spanId,
    });
    expect(exporter.getFinishedSpans()[0].resource.attributes['service.name']).toBe('edge');
  });
});
