import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

/** A finished span as a test reads it, whichever way it was collected. */
export interface SpanRecord {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  service: string;
  attributes: Record<string, unknown>;
  /** Span contexts this span links to (`traceId:spanId`). */
  links: string[];
}

export function fromReadable(spans: ReadableSpan[]): SpanRecord[] {
  return spans.map((span) => ({
    name: span.name,
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    service: String(span.resource.attributes['service.name']),
    attributes: { ...span.attributes },
    links: span.links.map((link) => `${link.context.traceId}:${link.context.spanId}`),
  }));
}

/**
 * A tiny OTLP/HTTP receiver (JSON encoding, what `@opentelemetry/exporter-trace-otlp-http` sends):
 * the processes under test export their spans to it as they would to a collector.
 */
export class OtlpReceiver {
  readonly spans: SpanRecord[] = [];
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', () => {
        let body = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        if (req.url === '/v1/traces' && String(req.headers['content-type']).startsWith('application/json')) {
          this.spans.push(...fromOtlpJson(JSON.parse(body.toString('utf8'))));
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } else {
          res.writeHead(415).end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
type OtlpAttributes = Array<{ key: string; value: OtlpValue }>;

function fromOtlpJson(request: {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpAttributes };
    scopeSpans?: Array<{
      spans?: Array<{
        name: string;
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        attributes?: OtlpAttributes;
        links?: Array<{ traceId: string; spanId: string }>;
      }>;
    }>;
  }>;
}): SpanRecord[] {
  const records: SpanRecord[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        records.push({
          name: span.name,
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId || undefined,
          service: String(resource['service.name']),
          attributes: attributesOf(span.attributes),
          links: (span.links ?? []).map((link) => `${link.traceId}:${link.spanId}`),
        });
      }
    }
  }
  return records;
}

function attributesOf(attributes: OtlpAttributes | undefined): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const { key, value } of attributes ?? []) {
    values[key] = value.stringValue ?? value.boolValue ?? value.doubleValue ?? Number(value.intValue);
  }
  return values;
}

/**
 * The one trace that spans about `messageId` belong to: fails when they are spread over several
 * traces, or when a span of it has a parent the trace does not hold (it is not connected).
 */
export function traceOfMessage(spans: SpanRecord[], messageId: string): SpanRecord[] {
  const about = spans.filter((span) => span.attributes['hookline.message.id'] === messageId);
  const traceIds = [...new Set(about.map((span) => span.traceId))];
  expect({ messageId, traceIds: traceIds.length }).toEqual({ messageId, traceIds: 1 });
  return spans.filter((span) => span.traceId === traceIds[0]);
}

/** Every span but one root has its parent in the trace: one tree. Returns the root. */
export function expectConnected(trace: SpanRecord[]): SpanRecord {
  const ids = new Set(trace.map((span) => span.spanId));
  const roots = trace.filter((span) => !span.parentSpanId);
  expect(roots.map((span) => span.name)).toHaveLength(1);
  const orphans = trace.filter((span) => span.parentSpanId && !ids.has(span.parentSpanId));
  expect(orphans.map((span) => span.name)).toEqual([]);
  return roots[0];
}

/** Names of the spans of a trace, sorted, for a readable comparison. */
export const spanNames = (trace: SpanRecord[]) => trace.map((span) => span.name).sort();

/** The chain of span names from `span` up to the root. */
export function ancestry(trace: SpanRecord[], span: SpanRecord): string[] {
  const byId = new Map(trace.map((s) => [s.spanId, s]));
  const chain: string[] = [];
  for (let s: SpanRecord | undefined = span; s; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined) {
    chain.push(s.name);
  }
  return chain;
}
