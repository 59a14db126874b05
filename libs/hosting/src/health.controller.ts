import {
  type BeforeApplicationShutdown,
  Controller,
  Get,
  HttpCode,
  Inject,
  ServiceUnavailableException,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MessageStore, pingDatabase } from '@hookline/persistence';
import { createLogger, HOOKLINE_CONFIG, type HooklineConfig } from '@hookline/config';
import { BUS, type Bus } from '@hookline/transport';
import { draining } from './draining';

/** A dependency that does not answer within this time counts as down. */
const CHECK_TIMEOUT_MS = 2_000;

/**
 * Liveness says the process serves; readiness that its database answers (which is all a webhook
 * needs to be accepted) and that it is not draining. The bus and the outbox backlog are reported
 * beside it: while the broker is down, webhooks are still accepted and the backlog grows until the
 * outbox relays it. On SIGTERM readiness turns 503 first; requests keep being served for
 * SHUTDOWN_DELAY_MS while load balancers notice, then Nest closes the listener (in-flight requests
 * finish) and the consumers (the current records finish and are committed).
 */
@Controller('health')
export class HealthController implements BeforeApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(BUS) private readonly bus: Bus,
    private readonly messages: MessageStore,
    @Inject(HOOKLINE_CONFIG) private readonly config: HooklineConfig,
  ) {}

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready() {
    if (draining.active) {
      throw new ServiceUnavailableException({ error: 'draining', message: 'the process is shutting down' });
    }
    const [database, bus, outbox] = await Promise.all([
      within(pingDatabase(this.db).then(() => true)),
      within(this.bus.healthy()),
      within(this.messages.outboxBacklog()),
    ]);
    const checks = {
      database: database ? 'up' : 'down',
      bus: bus ? 'up' : 'down',
      ...(outbox ? { outbox } : {}),
    };
    if (!database) {
      throw new ServiceUnavailableException({ error: 'not_ready', message: 'the database does not answer', checks });
    }
    return { status: 'ok', checks };
  }

  /** Runs before the listener and consumers close; `signal` is absent when code calls app.close(). */
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    if (!signal || draining.active) return;
    draining.active = true;
    const { delayMs, timeoutMs } = this.config.shutdown;
    const log = createLogger('shutdown', this.config.logLevel);
    // The last resort: a drain that hangs must not outlive the orchestrator's grace period.
    setTimeout(() => {
      log.error({ signal, timeoutMs }, `not drained within ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS), exiting`);
      process.exit(1);
    }, timeoutMs).unref();
    // An interrupt at a terminal wants no grace; an orchestrator's SIGTERM does.
    const delay = signal === 'SIGTERM' ? delayMs : 0;
    log.info({ signal, delayMs: delay }, 'draining: readiness answers 503, then the listener and consumers close');
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** The answer, or false/null when it failed or took longer than CHECK_TIMEOUT_MS. */
async function within<T>(check: Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), CHECK_TIMEOUT_MS)));
  try {
    return await Promise.race([check.catch(() => null), late]);
  } finally {
    clearTimeout(timer);
  }
}
