import { describeIntegration } from './harness/integration';
import { startDistributedSystem } from './harness/system';
import { scriptTestingBehaviour, scriptTestingEnv } from './script-testing.behaviour';

describeIntegration(
  'testing scripts before saving them, distributed: the admin API asks the executors over Kafka',
  () => {
    scriptTestingBehaviour(() => startDistributedSystem(scriptTestingEnv()));
  },
);
