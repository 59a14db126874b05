import { randomUUID } from 'node:crypto';
import { createLogger } from '@hookline/config';
import { KafkaBus } from '@hookline/transport';
import { busContract } from '../libs/transport/src/testing/bus-contract';
import { describeIntegration } from './harness/integration';
import { requireEnv } from './harness/system';

describeIntegration('the Bus contract, on Kafka', () => {
  busContract(
    async () => {
      const bus = new KafkaBus({
        brokers: requireEnv('HOOKLINE_IT_KAFKA_BROKERS').split(','),
        clientId: 'bus-contract',
        partitions: 3,
        replicationFactor: 1,
        logger: createLogger('test', 'warn'),
      });
      return {
        bus,
        topic: async () => {
          const topic = `contract.${randomUUID()}`;
          await bus.provision([topic]);
          return topic;
        },
        group: () => `contract-${randomUUID()}`,
      };
    },
    (bus) => bus.close(),
  );
});
