import { reliabilityBehaviour, RELIABILITY_ENV } from './reliability.behaviour';
import { describeIntegration } from './harness/integration';
import { startDistributedSystem } from './harness/system';

describeIntegration('reliability, distributed (PostgreSQL, Kafka, two ingress replicas)', () => {
  reliabilityBehaviour(() => startDistributedSystem(RELIABILITY_ENV));
});
