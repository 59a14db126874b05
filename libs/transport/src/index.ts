export * from './bus';
export * from './bus-server';
export * from './coalescer';
export * from './kafka-bus';
export * from './memory-bus';
export * from './transport.module';
export * from './redelivery';
export * from './record-limits';
