import {
  type BeforeApplicationShutdown,
  Controller,
  Get,
  HttpCode,
  Inject,
  ServiceUnavailableException,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createLogger, HOOKLINE_CONFIG, type HooklineConfig } from '@hookline/config';
import { BUS, type Bus } from '@hookline/transport';
import { draining } from './draining';

/**
 * Liveness says the process serves; readiness that its database and bus answer, and that it is
 * not draining. On SIGTERM readiness turns 503 first; requests keep being served for
 * SHUTDOWN_DELAY_MS while load balancers notice, then Nest closes the listener (in-flight requests
 * finish) and the consumers (the current records finish and are committed).
 */
@Controller('health')
export class HealthController implements BeforeApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(BUS) private readonly bus: Bus,
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
    const [database, bus] = await Promise.all([
      this.db.query('SELECT 1').then(
        () => true,
        () => false,
      ),
      this.bus.healthy(),
    ]);
    const checks = { database: database ? 'up' : 'down', bus: bus ? 'up' : 'down' };
    if (!database || !bus) {
      throw new ServiceUnavailableException({ error: 'not_ready', message: 'a dependency is down', checks });
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
