export * from './request-observations';
export * from './tracing';
