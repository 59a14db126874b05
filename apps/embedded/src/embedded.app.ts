import { Module, type DynamicModule } from '@nestjs/common';
import { AdminModule, mountOpenApi } from '@hookline/admin';
import { ConfigModule, createLogger, type HooklineConfig } from '@hookline/config';
import { ExecutionModule, JobRunnerModule } from '@hookline/execution';
import { HealthController, consoleDir, mountConsole, startApp } from '@hookline/hosting';
import { IngestionModule } from '@hookline/ingestion';
import { MatchingModule } from '@hookline/matching';
import { PersistenceModule } from '@hookline/persistence';
import { RetentionModule } from '@hookline/retention';
import { ScriptTestingModule } from '@hookline/script-testing';
import { TransportModule } from '@hookline/transport';

/**
 * Everything in one process on one port: PGlite unless DATABASE_URL is set, the in-process bus
 * unless KAFKA_BROKERS is set. The same modules as the distributed services.
 */
/** The operators' console, built by `npm run build:console` (part of `npm install`). */
const CONSOLE_DIR = consoleDir(__dirname);

@Module({})
export class EmbeddedAppModule {
  static create(config: HooklineConfig): DynamicModule {
    return {
      module: EmbeddedAppModule,
      imports: [
        ConfigModule.forRoot(config),
        PersistenceModule.forRoot(),
        TransportModule.forRoot(),
        IngestionModule,
        MatchingModule.runningSyncJobs(JobRunnerModule),
        ExecutionModule,
        AdminModule,
        ScriptTestingModule,
        RetentionModule,
      ],
      controllers: [HealthController],
    };
  }
}

export const startEmbedded = (config: HooklineConfig) =>
  startApp(EmbeddedAppModule.create(config), config, {
    listen: true,
    consumers: true,
    // On Kafka (KAFKA_BROKERS), the embedded process is the whole deployment: it exports the lag.
    consumerLag: true,
    beforeStart: (app) => {
      mountOpenApi(app);
      mountConsole(app, CONSOLE_DIR, createLogger('console', config.logLevel));
    },
  });
