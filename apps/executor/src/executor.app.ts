import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type HooklineConfig } from '@hookline/config';
import { HealthController, startApp } from '@hookline/hosting';
import { ExecutionModule } from '@hookline/execution';
import { PersistenceModule } from '@hookline/persistence';
import { ScriptTestingModule } from '@hookline/script-testing';
import { TransportModule } from '@hookline/transport';

@Module({})
export class ExecutorAppModule {
  static create(config: HooklineConfig): DynamicModule {
    return {
      module: ExecutorAppModule,
      imports: [
        ConfigModule.forRoot(config),
        PersistenceModule.forRoot(),
        TransportModule.forRoot(),
        ExecutionModule,
        ScriptTestingModule,
      ],
      controllers: [HealthController],
    };
  }
}

/** Runs jobs in the executor consumer group, and the script tests the admin API asks for; run as many as needed. */
export const startExecutor = (config: HooklineConfig) =>
  startApp(ExecutorAppModule.create(config), config, { listen: true, consumers: true });
