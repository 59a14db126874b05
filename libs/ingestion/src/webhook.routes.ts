import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HOOKLINE_CONFIG, createLogger, type HooklineConfig } from '@hookline/config';
import {
  MessageStatus,
  normaliseUri,
  storable,
  storableText,
  SYNC_HEADER,
  WEBHOOK_BASE_PATHS,
  type ReplyEvent,
} from '@hookline/contracts';
import { noteMessageId } from '@hookline/tracing';
import { StoreUnavailableError, SyncBusyError } from './errors';
import { IngestService, type IngestResult } from './ingest.service';
import { ProviderRateLimits } from './provider-rate-limits';
import { metrics } from '@hookline/metrics';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * `/flexdeploy/webhooks/v1/*` (and `v2`): any method, any content type, body kept as raw bytes.
 * Registered as a plain Fastify plugin, so its body parser (raw, size-limited) applies to these
 * routes only and the admin API keeps its JSON parsing.
 */
@Injectable()
export class WebhookRoutes implements OnModuleInit {
  private readonly log = createLogger('ingress');

  constructor(
    @Inject(HOOKLINE_CONFIG) private readonly config: HooklineConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly ingest: IngestService,
    private readonly rateLimits: ProviderRateLimits,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.register(async (scope) => this.routes(scope));
  }

  private async routes(scope: FastifyInstance): Promise<void> {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: this.config.http.maxBodyBytes },
      (_req, body, done) => done(null, body),
    );
    scope.setErrorHandler((error: FastifyError, request, reply) => this.fail(error, request, reply));
    for (const base of WEBHOOK_BASE_PATHS) {
      scope.route({ method: [...METHODS], url: `${base}/*`, handler: (request, reply) => this.handle(request, reply) });
    }
  }

  private async handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (request.url.length > this.config.http.maxUriLength) {
      return this.send(reply, 414, {
        error: 'uri_too_long',
        message: `the request URI is longer than the limit of ${this.config.http.maxUriLength} characters; it was not stored`,
      });
    }
    // The body stays bytes; what is kept as text (URI, query, headers) is made storable (U+0000 and
    // lone surrogates become U+FFFD), so that no sender can send what the database refuses.
    const uri = storableText(normaliseUri((request.params as { '*': string })['*']));
    const admitted = this.rateLimits.admit(uri);
    if (!admitted.allowed) {
      metrics.rateLimited.inc({ provider: admitted.provider });
      void reply.header('retry-after', String(Math.max(1, Math.ceil(admitted.retryAfterMs / 1000))));
      return this.send(reply, 429, {
        error: 'rate_limited',
        message:
          `provider '${admitted.provider}' accepts ${admitted.limit.perSecond} webhooks a second ` +
          `(bursts of ${admitted.limit.burst}) on each ingress replica; it was not stored, send it again after Retry-After`,
      });
    }
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const sync = String(request.headers[SYNC_HEADER] ?? '').toLowerCase() === 'true';
    let result: IngestResult;
    try {
      result = await this.ingest.accept(
        {
          method: request.method,
          uri,
          query: storable((request.query ?? {}) as Record<string, string | string[]>),
          headers: storable(flattenHeaders(request.headers)),
          remoteAddr: request.ip,
          contentType: request.headers['content-type'] ?? null,
          body,
        },
        sync,
      );
    } catch (error) {
      if (error instanceof StoreUnavailableError) {
        return this.send(reply, 503, {
          error: 'store_unavailable',
          message: `${error.message}; nothing was kept, send it again`,
        });
      }
      if (error instanceof SyncBusyError) {
        void reply.header('retry-after', '1');
        return this.send(reply, 503, { error: 'sync_busy', message: error.message });
      }
      throw error;
    }
    noteMessageId(request, result.messageId);
    switch (result.kind) {
      case 'accepted':
        return this.send(reply, 202, { messageId: result.messageId });
      case 'timeout':
        return this.send(reply, 504, {
          error: 'sync_timeout',
          messageId: result.messageId,
          message: `no outcome within ${result.timeoutMs} ms; the message is stored and still being processed`,
        });
      case 'draining':
        void reply.header('retry-after', '1');
        return this.send(reply, 503, {
          error: 'draining',
          messageId: result.messageId,
          message:
            'this replica is shutting down before the outcome came; the message is stored and still being processed',
        });
      case 'outcome':
        return this.sendOutcome(reply, result.reply);
    }
  }

  private fail(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
      this.send(reply, 413, {
        error: 'payload_too_large',
        message: `the body is larger than the limit of ${this.config.http.maxBodyBytes} bytes; it was not stored`,
      });
      return;
    }
    if (error.statusCode && error.statusCode < 500) {
      this.send(reply, error.statusCode, { error: 'bad_request', message: error.message });
      return;
    }
    this.log.error({ err: error, url: request.url }, 'webhook request failed');
    this.send(reply, 500, { error: 'internal_error', message: 'the message could not be accepted' });
  }

  /**
   * The outcome as JSON, unless functions shaped the response with RESPONSE.*: then their status,
   * headers and body (a string as it is, anything else as JSON) replace the defaults.
   */
  private sendOutcome(reply: FastifyReply, outcome: ReplyEvent): void {
    const shaped = outcome.response;
    if (!shaped) return this.send(reply, syncStatusCode(outcome), syncBody(outcome));
    for (const [name, value] of Object.entries(shaped.headers)) {
      if (!UNSHAPEABLE_HEADERS.has(name.toLowerCase())) void reply.header(name, value);
    }
    void reply.header('x-hookline-message-id', outcome.messageId);
    void reply.code(shaped.status ?? syncStatusCode(outcome));
    if (shaped.body === undefined) {
      void reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(syncBody(outcome)));
    } else if (typeof shaped.body === 'string') {
      if (!reply.hasHeader('content-type')) void reply.header('content-type', 'text/plain; charset=utf-8');
      void reply.send(shaped.body);
    } else {
      if (!reply.hasHeader('content-type')) void reply.header('content-type', 'application/json; charset=utf-8');
      void reply.send(JSON.stringify(shaped.body));
    }
  }

  private send(reply: FastifyReply, status: number, body: object): void {
    void reply.code(status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
  }
}

/** Framing headers stay the server's own. */
const UNSHAPEABLE_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade']);

function flattenHeaders(headers: FastifyRequest['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function syncStatusCode(reply: ReplyEvent): number {
  if (reply.status === MessageStatus.Unmatched) return 404;
  if (reply.status === MessageStatus.Failed) return 500;
  return 200;
}

function syncBody(reply: ReplyEvent): object {
  return {
    messageId: reply.messageId,
    status: reply.status,
    // Every try of a function with a retry policy is there, in order; the last one counts.
    executions: reply.executions.map(({ functionId, functionName, status, message, result, error, try: tryNo }) => ({
      functionId,
      functionName,
      status,
      message,
      result,
      error,
      try: tryNo,
    })),
    // A duplicate delivery answers with its original's outcome, and says whose.
    ...(reply.duplicateOf ? { duplicateOf: reply.duplicateOf } : {}),
    ...(reply.message ? { message: reply.message } : {}),
  };
}
