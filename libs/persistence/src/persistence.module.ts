import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HOOKLINE_CONFIG, type HooklineConfig } from '@hookline/config';
import { createDataSource, openDatabase } from './data-source';
import { ConfigStore } from './stores/config.store';
import { DeadLetterStore } from './stores/dead-letter.store';
import { MessageStore } from './stores/message.store';
import { RunStore } from './stores/run.store';

const OWNS_DATA_SOURCE = Symbol('OWNS_DATA_SOURCE');

/** The DataSource (migrated) and the stores over it; pass one already open to share it. */
@Global()
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(OWNS_DATA_SOURCE) private readonly owns: boolean,
  ) {}

  static forRoot(options: { dataSource?: DataSource; poolSize?: number; ownsDataSource?: boolean } = {}) {
    return {
      module: PersistenceModule,
      providers: [
        {
          provide: DataSource,
          inject: [HOOKLINE_CONFIG],
          useFactory: (config: HooklineConfig) =>
            openDatabase(options.dataSource ?? createDataSource(config, options.poolSize), {
              migrate: config.migrateAtStart,
            }),
        },
        { provide: OWNS_DATA_SOURCE, useValue: options.ownsDataSource ?? !options.dataSource },
        { provide: MessageStore, inject: [DataSource], useFactory: (db: DataSource) => new MessageStore(db) },
        { provide: RunStore, inject: [DataSource], useFactory: (db: DataSource) => new RunStore(db) },
        { provide: ConfigStore, inject: [DataSource], useFactory: (db: DataSource) => new ConfigStore(db) },
        { provide: DeadLetterStore, inject: [DataSource], useFactory: (db: DataSource) => new DeadLetterStore(db) },
      ],
      exports: [DataSource, MessageStore, RunStore, ConfigStore, DeadLetterStore],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.owns && this.db.isInitialized) await this.db.destroy();
  }
}
