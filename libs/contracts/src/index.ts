export * from './codec';
export * from './events';
export * from './statuses';
export * from './topics';
export * from './webhook';
export * from './storable';
export * from './retry-policy';
export * from './rate-limit';
