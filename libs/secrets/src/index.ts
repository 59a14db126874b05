export * from './secret-cipher';
export * from './secret-properties';
export * from './secrets.module';
