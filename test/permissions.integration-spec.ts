import { describeIntegration } from './harness/integration';
import { startDistributedSystem } from './harness/system';
import { permissionsBehaviour } from './permissions.behaviour';

describeIntegration('API tokens, roles and the audit log, distributed (PostgreSQL, Kafka), through HTTP', () => {
  permissionsBehaviour(() => startDistributedSystem());
});
