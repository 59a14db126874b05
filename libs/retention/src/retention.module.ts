import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HOOKLINE_CONFIG, type HooklineConfig } from '@hookline/config';
import { RetentionStore } from '@hookline/persistence';
import { RetentionJob } from './retention.job';

/** The scheduled purge of old messages; the admin API and the embedded process run it. */
@Module({
  providers: [
    { provide: RetentionStore, inject: [DataSource], useFactory: (db: DataSource) => new RetentionStore(db) },
    {
      provide: RetentionJob,
      inject: [HOOKLINE_CONFIG, RetentionStore],
      useFactory: (config: HooklineConfig, store: RetentionStore) => new RetentionJob(config.retention, store),
    },
  ],
  exports: [RetentionJob],
})
export class RetentionModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(RetentionJob) private readonly job: RetentionJob) {}

  onApplicationBootstrap(): void {
    this.job.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }
}
