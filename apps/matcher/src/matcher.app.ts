import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type HooklineConfig } from '@hookline/config';
import { JobRunnerModule } from '@hookline/execution';
import { HealthController, startApp } from '@hookline/hosting';
import { MatchingModule } from '@hookline/matching';
import { PersistenceModule } from '@hookline/persistence';
import { TransportModule } from '@hookline/transport';

@Module({})
export class MatcherAppModule {
  static create(config: HooklineConfig): DynamicModule {
    return {
      module: MatcherAppModule,
      imports: [
        ConfigModule.forRoot(config),
        PersistenceModule.forRoot(),
        TransportModule.forRoot(),
        MatchingModule.runningSyncJobs(JobRunnerModule),
      ],
      controllers: [HealthController],
    };
  }
}

/** Resolves the provider of each received message and emits its jobs; runs those of sync runs itself. */
export const startMatcher = (config: HooklineConfig) =>
  startApp(MatcherAppModule.create(config), config, { listen: true, consumers: true });
