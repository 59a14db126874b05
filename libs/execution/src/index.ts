export * from './execute-job.use-case';
export * from './execution.module';
