import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type HooklineConfig } from '@hookline/config';
import { HealthController, startApp } from '@hookline/hosting';
import { IngestionModule } from '@hookline/ingestion';
import { PersistenceModule } from '@hookline/persistence';
import { TransportModule } from '@hookline/transport';

@Module({})
export class IngressAppModule {
  static create(config: HooklineConfig): DynamicModule {
    return {
      module: IngressAppModule,
      imports: [
        ConfigModule.forRoot(config),
        PersistenceModule.forRoot({ poolSize: 20 }),
        TransportModule.forRoot(),
        IngestionModule,
      ],
      controllers: [HealthController],
    };
  }
}

/** The webhook endpoint: stores, publishes, answers (and waits for sync outcomes). */
export const startIngress = (config: HooklineConfig) =>
  startApp(IngressAppModule.create(config), config, { listen: true, consumers: false });
