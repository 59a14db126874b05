import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';
import type { TracingConfig } from '@hookline/config';
import type { Sampler, SpanExporter } from '@opentelemetry/sdk-trace';

export { SpanKind, type Context, type Span } from '@opentelemetry/api';

/** Span attributes Hookline sets, besides OpenTelemetry's semantic conventions. */
export const TraceAttributes = {
  messageId: 'hookline.message.id',
  run: 'hookline.message.run',
  providerId: 'hookline.provider.id',
  functionId: 'hookline.function.id',
  executionId: 'hookline.execution.id',
  /** The try of an execution under a retry policy (1 for the first). */
  try: 'hookline.execution.try',
  status: 'hookline.status',
} as const;

interface Provider {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

let provider: Provider | null = null;
const TRACER = 'hookline';

/** True once `startTracing` started the SDK in this process; everything here is a no-op until then. */
export function tracingEnabled(): boolean {
  return provider !== null;
}

/**
 * Starts the OpenTelemetry SDK when `config.exporters` names an exporter (or a test gives one):
 * W3C trace context, async-local context, the configured sampler, spans batched to OTLP/HTTP
 * (which reads OTEL_EXPORTER_OTLP_*). Once per process; later calls change nothing. With tracing
 * off nothing is loaded and the API stays OpenTelemetry's no-op.
 */
export function startTracing(config: TracingConfig, service: string, options: { exporter?: SpanExporter } = {}): void {
  if (provider || (config.exporters.length === 0 && !options.exporter)) return;
  // Loaded only when tracing is on: a process that does not trace pays nothing for the SDK.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const sdk = require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
  const { W3CTraceContextPropagator } = require('@opentelemetry/core') as typeof import('@opentelemetry/core');
  const { AsyncLocalStorageContextManager } =
    require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
  const resources = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const processors = [];
  if (options.exporter) processors.push(new sdk.SimpleSpanProcessor({ exporter: options.exporter }));
  for (const name of config.exporters) {
    if (name === 'otlp') {
      const { OTLPTraceExporter } =
        require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
      processors.push(new sdk.BatchSpanProcessor({ exporter: new OTLPTraceExporter() }));
    } else {
      processors.push(new sdk.SimpleSpanProcessor({ exporter: new sdk.ConsoleSpanExporter() }));
    }
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
  // OTEL_RESOURCE_ATTRIBUTES first; OTEL_SERVICE_NAME, else our default name, wins for service.name.
  const resource = resources
    .detectResources({ detectors: [resources.resourceAttributesEnvDetector] })
    .merge(resources.resourceFromAttributes({ 'service.name': config.serviceName ?? `hookline-${service}` }));
  const tracerProvider = new sdk.TracerProvider({
    resource,
    sampler: sampler(sdk, config.sampler),
    spanProcessors: processors,
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(tracerProvider);
  provider = tracerProvider;
}

function sampler(sdk: typeof import('@opentelemetry/sdk-trace'), config: TracingConfig['sampler']): Sampler {
  const ratio = new sdk.TraceIdRatioBasedSampler(config.ratio);
  switch (config.name) {
    case 'always_on':
      return new sdk.AlwaysOnSampler();
    case 'always_off':
      return new sdk.AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new sdk.ParentBasedSampler({ root: ratio });
    default:
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() });
  }
}

/** Exports the spans ended so far (on shutdown, so that the last ones are not lost). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush().catch(() => undefined);
}

/** Flushes and stops the SDK; the API is a no-op afterwards (tests start it again with another exporter). */
export async function stopTracing(): Promise<void> {
  const stopping = provider;
  if (!stopping) return;
  provider = null;
  await stopping.shutdown().catch(() => undefined);
  trace.disable();
  context.disable();
  propagation.disable();
}

const tracer = () => trace.getTracer(TRACER);

/** What spans are while tracing is off: OpenTelemetry's non-recording span, shared (it holds nothing). */
const NOOP_SPAN = trace.wrapSpanContext({
  traceId: '00000000000000000000000000000000',
  spanId: '0000000000000000',
  traceFlags: 0,
});

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The span's parent; absent: the active span. */
  parent?: Context;
  /** Start a trace of its own (linked to `links`), whatever is active. */
  root?: boolean;
  links?: Link[];
}

/**
 * Runs `work` inside a new span, active for everything `work` awaits, and ends it when `work`
 * settles (an error is recorded on it and rethrown). Without tracing, `work` just runs.
 */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  if (!provider) return work(NOOP_SPAN);
  const parent = options.root ? ROOT_CONTEXT : (options.parent ?? context.active());
  return tracer().startActiveSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      attributes: options.attributes,
      links: options.links,
      root: options.root,
    },
    parent,
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        failSpan(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Starts a span that the caller ends (for work that outlives a callback). Tracing off: a no-op span. */
export function startSpan(name: string, options: SpanOptions): Span {
  if (!provider) return NOOP_SPAN;
  const parent = options.root ? ROOT_CONTEXT : (options.parent ?? context.active());
  return tracer().startSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      attributes: options.attributes,
      links: options.links,
      root: options.root,
    },
    parent,
  );
}

/** Marks a span failed with the error's message (the message only: payloads stay out of traces). */
export function failSpan(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** Sets attributes on the active span, if any (the message's ids once a stage knows them). */
export function annotateActiveSpan(attributes: Attributes): void {
  if (provider) trace.getActiveSpan()?.setAttributes(attributes);
}

/** The active context, or undefined when tracing is off (so callers keep nothing). */
export function activeTraceContext(): Context | undefined {
  return provider ? context.active() : undefined;
}

/** A context with `span` active, to run work in or to parent spans on. */
export function contextWithSpan(span: Span, parent: Context = ROOT_CONTEXT): Context {
  return trace.setSpan(parent, span);
}

/** Runs `fn` with `ctx` active (a no-op wrapper without tracing). */
export function withContext<T>(ctx: Context | undefined, fn: () => T): T {
  return provider && ctx ? context.with(ctx, fn) : fn();
}

/** W3C `traceparent`/`tracestate` of `ctx` (default: the active one), to carry in record headers. */
export function traceHeaders(ctx: Context | undefined = activeTraceContext()): Record<string, string> {
  const headers: Record<string, string> = {};
  if (provider && ctx) propagation.inject(ctx, headers);
  return headers;
}

/** The remote context that record or request headers carry (ROOT_CONTEXT when none or tracing is off). */
export function contextFromHeaders(headers: Record<string, string | string[] | undefined>): Context {
  if (!provider) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, headers);
}

/** The span context of `ctx` if it is a valid one: for a link to a trace we do not continue. */
export function linkTo(ctx: Context): Link[] {
  const span = trace.getSpanContext(ctx);
  return span && trace.isSpanContextValid(span) ? [{ context: span }] : [];
}

/** `traceId` and `spanId` of `span` (or the active span) for log lines; empty without tracing. */
export function traceLogFields(span?: Span): { traceId?: string; spanId?: string } {
  if (!provider) return {};
  const spanContext = (span ?? trace.getActiveSpan())?.spanContext();
  return spanContext && trace.isSpanContextValid(spanContext)
    ? { traceId: spanContext.traceId, spanId: spanContext.spanId }
    : {};
}
