import { Module, type DynamicModule } from '@nestjs/common';
import { AdminModule, mountOpenApi } from '@hookline/admin';
import { ConfigModule, type HooklineConfig } from '@hookline/config';
import { HealthController, startApp } from '@hookline/hosting';
import { PersistenceModule } from '@hookline/persistence';
import { RetentionModule } from '@hookline/retention';
import { TransportModule } from '@hookline/transport';

@Module({})
export class AdminApiAppModule {
  static create(config: HooklineConfig): DynamicModule {
    return {
      module: AdminApiAppModule,
      imports: [
        ConfigModule.forRoot(config),
        PersistenceModule.forRoot(),
        TransportModule.forRoot(),
        AdminModule,
        RetentionModule,
      ],
      controllers: [HealthController],
    };
  }
}

/** The REST API for providers, functions and message history; it also runs the retention purge. */
export const startAdminApi = (config: HooklineConfig) =>
  startApp(AdminApiAppModule.create(config), config, {
    listen: true,
    consumers: false,
    consumerLag: true,
    beforeStart: mountOpenApi,
  });
