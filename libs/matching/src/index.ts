export * from './dedup-claim';
export * from './match-message.use-case';
export * from './matching.module';
