export * from './config.module';
export * from './env-reader';
export * from './hookline-config';
export * from './logger';
export * from './secret-keys';
