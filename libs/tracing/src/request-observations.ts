import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import { contextFromHeaders, contextWithSpan, linkTo, startSpan, TraceAttributes, tracingEnabled } from './tracing';
import type { Context } from '@opentelemetry/api';

/** What one HTTP request produced that its access log line and its span report. */
interface Observation {
  span?: Span;
  messageId?: string;
}

const observations = new WeakMap<object, Observation>();

/**
 * Starts the server span of an HTTP request. Webhook senders are outside parties: a `traceparent`
 * they send is linked, not continued, so every webhook is a trace of its own.
 */
export function startRequestSpan(
  request: object,
  method: string,
  path: string,
  headers: Record<string, string | string[] | undefined>,
): void {
  if (!tracingEnabled()) return;
  const span = startSpan(method, {
    kind: SpanKind.SERVER,
    root: true,
    links: linkTo(contextFromHeaders(headers)),
    attributes: { 'http.request.method': method, 'url.path': path },
  });
  observations.set(request, { ...observations.get(request), span });
}

/** The context to handle a request in: its server span active. */
export function requestContext(request: object): Context | undefined {
  const span = observations.get(request)?.span;
  return span ? contextWithSpan(span) : undefined;
}

/** The request's server span, if tracing is on. */
export function requestSpan(request: object): Span | undefined {
  return observations.get(request)?.span;
}

/** Ends the request's server span with its route pattern and status code. */
export function endRequestSpan(request: object, method: string, route: string | undefined, status: number): void {
  const span = observations.get(request)?.span;
  if (!span) return;
  if (route) span.updateName(`${method} ${route}`);
  span.setAttributes({ 'http.response.status_code': status, ...(route ? { 'http.route': route } : {}) });
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/** Records the message a request created: on its span, and for its access log line. */
export function noteMessageId(request: object, messageId: string): void {
  const observation = observations.get(request);
  observation?.span?.setAttribute(TraceAttributes.messageId, messageId);
  observations.set(request, { ...observation, messageId });
}

/** The message a request created, if it did. */
export function notedMessageId(request: object): string | undefined {
  return observations.get(request)?.messageId;
}
