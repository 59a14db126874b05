import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type HooklineConfig } from '@hookline/config';
import { HealthController, startApp } from '@hookline/hosting';
import { ExecutionModule } from '@hookline/execution';
import { PersistenceModule } from '@hookline/persistence';
import { TransportModule } from '@hookline/transport';

@Module({})
export class ExecutorAppModule {
  static create(config: HooklineConfig): DynamicModule {
    return {
      module: ExecutorAppModule,
      imports: [ConfigModule.forRoot(config), PersistenceModule.forRoot(), TransportModule.forRoot(), ExecutionModule],
      controllers: [HealthController],
    };
  }
}

/** Runs jobs in the executor consumer group; run as many as needed. */
export const startExecutor = (config: HooklineConfig) =>
  startApp(ExecutorAppModule.create(config), config, { listen: true, consumers: true });
