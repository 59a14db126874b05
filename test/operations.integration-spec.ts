import { describeIntegration } from './harness/integration';
import { startDistributedSystem } from './harness/system';
import { operationsBehaviour } from './operations.behaviour';

describeIntegration('operating Hookline through the admin API, distributed (PostgreSQL, Kafka)', () => {
  operationsBehaviour(() => startDistributedSystem());
});
