export * from './config-cache';
export * from './pipeline.module';
export * from './reply-publisher';
export * from './script-input';
export * from './dead-letter.finalizer';
export * from './job-runner';
