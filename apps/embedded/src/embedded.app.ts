import { Module, type DynamicModule } from '@nestjs/common';
import { AdminModule, mountOpenApi } from '@hookline/admin';
import { ConfigModule, type HooklineConfig } from '@hookline/config';
import { ExecutionModule } from '@hookline/execution';
import { HealthController, startApp } from '@hookline/hosting';
import { IngestionModule } from '@hookline/ingestion';
import { MatchingModule } from '@hookline/matching';
import { PersistenceModule } from '@hookline/persistence';
import { RetentionModule } from '@hookline/retention';
import { TransportModule } from '@hookline/transport';

/**
 * Everything in one process on one port: PGlite unless DATABASE_URL is set, the in-process bus
 * unless KAFKA_BROKERS is set. The same modules as the distributed services.
 */
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
        MatchingModule,
        ExecutionModule,
        AdminModule,
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
    beforeStart: mountOpenApi,
  });
