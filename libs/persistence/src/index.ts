export * from './data-source';
export * from './entities';
export * from './migrations';
export * from './persistence.module';
export * from './stores/config.store';
export * from './stores/message.store';
export * from './stores/run.store';
export * from './stores/pg-values';
