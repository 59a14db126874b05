export * from './retention.job';
export * from './retention.module';
