import { randomUUID } from 'node:crypto';
import { createLogger } from '@hookline/config';
import { MemoryBus } from './memory-bus';
import { busContract } from './testing/bus-contract';

describe('the Bus contract, in process', () => {
  busContract(
    async () => {
      const bus = new MemoryBus({ partitions: 3, logger: createLogger('test', 'silent') });
      return {
        bus,
        topic: async () => {
          const topic = `contract.${randomUUID()}`;
          await bus.provision([topic]);
          return topic;
        },
        group: () => `group-${randomUUID()}`,
      };
    },
    (bus) => bus.close(),
  );
});
