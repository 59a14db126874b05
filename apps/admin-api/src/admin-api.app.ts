import { Module, type DynamicModule } from '@nestjs/common';
import { AdminModule } from '@hookline/admin';
import { ConfigModule, type HooklineConfig } from '@hookline/config';
import { HealthController, startApp } from '@hookline/hosting';
import { PersistenceModule } from '@hookline/persistence';
import { TransportModule } from '@hookline/transport';

@Module({})
export class AdminApiAppModule {
  static create(config: HooklineConfig): DynamicModule {
    return {
      module: AdminApiAppModule,
      imports: [ConfigModule.forRoot(config), PersistenceModule.forRoot(), TransportModule.forRoot(), AdminModule],
      controllers: [HealthController],
    };
  }
}

/** The REST API for providers, functions and message history. */
export const startAdminApi = (config: HooklineConfig) =>
  startApp(AdminApiAppModule.create(config), config, { listen: true, consumers: false });
