export * from './identifiers';
export * from './script-syntax';
