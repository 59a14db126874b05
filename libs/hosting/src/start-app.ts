import type { DynamicModule, INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { createLogger, type HooklineConfig, type Logger } from '@hookline/config';
import { ConsumerGroups, Topics } from '@hookline/contracts';
import { DataSource } from 'typeorm';
import { pingDatabase } from '@hookline/persistence';
import { BUS, BusServer, DEAD_LETTER_HANDLER, type Bus, type DeadLetterHandler } from '@hookline/transport';
import { collectProcessMetrics, exportConsumerLag, metrics, metricsRegistry } from '@hookline/metrics';
import {
  endRequestSpan,
  flushTracing,
  notedMessageId,
  requestContext,
  requestSpan,
  startRequestSpan,
  startTracing,
  traceLogFields,
  tracingEnabled,
  withContext,
} from '@hookline/tracing';
import { draining } from './draining';
import { fullCollection, IDLE_COLLECTION, IdleCollector } from './idle-collector';
import { nativeHeapTrimmer } from './native-heap';

export interface StartOptions {
  /** Serve HTTP on config.http.port (0 picks a free port). */
  listen: boolean;
  /** Serve the module's `@EventPattern` consumers from the bus. */
  consumers: boolean;
  /** Export `hookline_consumer_lag` of Hookline's consumer groups (one process per deployment: the admin API). */
  consumerLag?: boolean;
  /** Called once the app is created, before it starts: to add routes of its own (the OpenAPI document). */
  beforeStart?: (app: NestFastifyApplication) => void | Promise<void>;
}

/**
 * Builds a Nest application on Fastify from a root module, wires the bus consumers and starts it.
 * Every Hookline process, distributed or embedded, starts through here.
 */
/** Distributed services refuse to start without their real database and broker. */
export function requireServices(config: HooklineConfig, service: string): void {
  const missing = [!config.databaseUrl && 'DATABASE_URL', config.kafka.brokers.length === 0 && 'KAFKA_BROKERS'].filter(
    Boolean,
  );
  if (missing.length > 0) {
    throw new Error(
      `${service} runs against PostgreSQL and Kafka: set ${missing.join(' and ')} (or run everything with \`npm start\`)`,
    );
  }
}

export async function startApp(
  root: DynamicModule,
  config: HooklineConfig,
  options: StartOptions,
): Promise<NestFastifyApplication> {
  const log = createLogger(root.module.name, config.logLevel);
  // Before the modules are built: the bus they get carries trace context only when tracing is on.
  startTracing(config.tracing, serviceName(root));
  const adapter = new FastifyAdapter({
    trustProxy: config.http.trustProxy.length > 0 ? config.http.trustProxy : false,
    bodyLimit: config.http.maxBodyBytes,
  });
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    logger: new PinoNestLogger(log),
    abortOnError: false,
    // Our own JSON parser (acceptEmptyJsonBodies); the admin API takes JSON only.
    bodyParser: false,
  });
  try {
    return await configureAndStart(app, adapter, root, config, options, log);
  } catch (error) {
    // A start that failed half way must not leave the modules' timers and connections running (in
    // a test process, say), nor hang the failure: the close gets 10 s.
    await Promise.race([app.close().catch(() => undefined), new Promise((done) => setTimeout(done, 10_000).unref())]);
    throw error;
  }
}

async function configureAndStart(
  app: NestFastifyApplication,
  adapter: FastifyAdapter,
  root: DynamicModule,
  config: HooklineConfig,
  options: StartOptions,
  log: Logger,
): Promise<NestFastifyApplication> {
  // process.exit(0) once closed (not a re-raised signal): the drain counts as a clean stop. Only the
  // stopping signals: Nest's default list has SIGUSR2 and others that diagnostics use (reports, heap
  // snapshots), which must not stop a live process.
  app.enableShutdownHooks(SHUTDOWN_SIGNALS, { useProcessExit: true });
  acceptEmptyJsonBodies(adapter);
  // While draining, every answer closes its connection: no keep-alive socket is left idle to be
  // reset under a client's next request when the listener closes.
  const fastify = app.getHttpAdapter().getInstance();
  const access = createLogger('access', config.logLevel);
  fastify.addHook('onSend', async (_request, reply) => {
    if (draining.active) reply.header('connection', 'close');
  });
  // Prometheus metrics of this process; requests counted by route pattern, never by raw URL.
  collectProcessMetrics();
  if (tracingEnabled()) {
    // A server span per request (probes and scrapes aside), active while its handler runs: the
    // handler's spans, log lines and published records belong to the request's trace.
    fastify.addHook('onRequest', (request, _reply, done) => {
      const path = request.url.split('?')[0];
      if (!UNTRACED.test(path)) startRequestSpan(request, request.method, path, request.headers);
      done();
    });
    // Body parsing runs outside the request's async context: the span is made active again here.
    fastify.addHook('preHandler', (request, _reply, done) => withContext(requestContext(request), done));
  }
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { route, method: request.method };
    metrics.httpRequests.inc({ ...labels, status: String(reply.statusCode) });
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    // The route pattern, not the URL: query strings may carry tokens.
    if (config.http.accessLog) {
      const messageId = notedMessageId(request);
      access.info(
        {
          ...labels,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
          remoteAddr: request.ip,
          reqId: request.id,
          ...(messageId ? { messageId } : {}),
          ...traceLogFields(requestSpan(request)),
        },
        'request',
      );
    }
    endRequestSpan(request, request.method, request.routeOptions.url, reply.statusCode);
  });
  // Spans ended by the last requests and records are exported before the process exits.
  fastify.addHook('onClose', async () => flushTracing());
  const collectGarbage = fullCollection();
  const trimNativeHeap = await nativeHeapTrimmer();
  const collector = new IdleCollector(
    () => {
      collectGarbage();
      trimNativeHeap?.now();
    },
    {
      ...IDLE_COLLECTION,
      trimWhileBusy: trimNativeHeap?.inBackground,
      onCollected: (before, after) =>
        log.info(
          { rssMb: { before: toMb(before), after: toMb(after) }, nativeHeapTrimmed: trimNativeHeap !== null },
          'idle: garbage collected',
        ),
    },
  );
  collector.start();
  fastify.addHook('onClose', async () => collector.stop());
  const bus = app.get<Bus>(BUS);
  if (options.consumerLag && bus.consumerLag) {
    const groups = [
      { groupId: ConsumerGroups.Matcher, topic: Topics.MessagesReceived },
      { groupId: ConsumerGroups.Executor, topic: Topics.Jobs },
    ];
    exportConsumerLag(() => bus.consumerLag!(groups));
  }
  fastify.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metricsRegistry.contentType);
    return metricsRegistry.metrics();
  });
  await options.beforeStart?.(app);
  if (options.consumers) {
    const db = app.get(DataSource);
    const healthy = async () =>
      (await pingDatabase(db).then(
        () => true,
        () => false,
      )) && (await bus.healthy());
    const server = new BusServer(bus, {
      config,
      redelivery: config.consumers,
      healthy,
      deadLetters: optional<DeadLetterHandler>(app, DEAD_LETTER_HANDLER),
      logger: log,
    });
    app.connectMicroservice<MicroserviceOptions>({ strategy: server }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  if (options.listen) {
    await app.listen(config.http.port, config.http.host);
  } else {
    await app.init();
  }
  return app;
}

/** The signals that drain and stop a process: an orchestrator's, a terminal's interrupt and hang-up. */
const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'];
const toMb = (bytes: number) => Math.round(bytes / (1024 * 1024));

/** Probes and scrapes are not worth a trace each. */
const UNTRACED = /^\/(health|metrics)(\/|\?|$)/;

/** `IngressAppModule` -> `ingress`, `AdminApiAppModule` -> `admin-api`: the default service.name. */
function serviceName(root: DynamicModule): string {
  return root.module.name
    .replace(/AppModule$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}

/**
 * Many HTTP clients send `Content-Type: application/json` with no body on a bodiless action
 * (`POST …/resubmit`): that is no body, not malformed JSON. Anything else goes through Fastify's
 * own parser, prototype-poisoning checks included.
 */
function acceptEmptyJsonBodies(adapter: FastifyAdapter): void {
  const fastify = adapter.getInstance();
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    parse(request, text, done);
  });
}

function optional<T>(app: INestApplication, token: symbol): T | undefined {
  try {
    return app.get<T>(token, { strict: false });
  } catch {
    return undefined;
  }
}

/** The port an app listens on (useful with PORT=0). */
export function listeningPort(app: INestApplication): number {
  const address = app.getHttpServer().address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** Nest's own log lines as pino JSON. */
class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}
  // Nest's start-up chatter (mapped routes, modules) is debug; its warnings and errors are not.
  log(message: unknown, context?: string) {
    this.pino.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.pino.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.pino.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.pino.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.pino.trace({ context }, String(message));
  }
}

/** Runs a process's start function; a failure to start prints why and exits non-zero. */
export function runMain(start: () => Promise<unknown>): void {
  start().catch((error: unknown) => {
    console.error(`hookline failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
