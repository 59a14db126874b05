import { pipelineBehaviour, SUITE_ENV } from './pipeline.behaviour';
import { describeIntegration } from './harness/integration';
import { startDistributedSystem } from './harness/system';

describeIntegration('the webhook pipeline, distributed (PostgreSQL, Kafka, two ingress replicas)', () => {
  pipelineBehaviour(() => startDistributedSystem(SUITE_ENV));
});
