import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BUS, type Bus } from '@hookline/transport';

/** Liveness says the process serves; readiness that its database and bus answer. */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready() {
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
}
