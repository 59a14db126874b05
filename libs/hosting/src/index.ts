export * from './health.controller';
export * from './start-app';
export * from './console';
export * from './draining';
