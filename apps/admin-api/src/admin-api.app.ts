import { Module, type DynamicModule } from '@nestjs/common';
import { AdminModule, mountOpenApi } from '@hookline/admin';
import { ConfigModule, createLogger, type HooklineConfig } from '@hookline/config';
import { HealthController, consoleDir, mountConsole, startApp } from '@hookline/hosting';
import { PersistenceModule } from '@hookline/persistence';
import { RetentionModule } from '@hookline/retention';
import { TransportModule } from '@hookline/transport';

/** The operators' console, built by `npm run build:console` (part of `npm install`). */
const CONSOLE_DIR = consoleDir(__dirname);

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
    beforeStart: (app) => {
      mountOpenApi(app);
      mountConsole(app, CONSOLE_DIR, createLogger('console', config.logLevel));
    },
  });
