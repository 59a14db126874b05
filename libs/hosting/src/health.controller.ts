import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MessageStore } from '@hookline/persistence';
import { BUS, type Bus } from '@hookline/transport';

/** A dependency that does not answer within this time counts as down. */
const CHECK_TIMEOUT_MS = 2_000;

/**
 * Liveness says the process serves; readiness that its database answers, which is all a webhook
 * needs to be accepted. The bus and the outbox backlog are reported beside it: while the broker is
 * down, webhooks are still accepted and the backlog grows until the outbox relays it.
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(BUS) private readonly bus: Bus,
    private readonly messages: MessageStore,
  ) {}

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready() {
    const [database, bus, outbox] = await Promise.all([
      within(this.db.query('SELECT 1').then(() => true)),
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
