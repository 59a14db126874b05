import { startEmbeddedSystem } from './harness/system';
import { scriptTestingBehaviour, scriptTestingEnv } from './script-testing.behaviour';

describe('testing scripts before saving them, embedded (in-process bus), through HTTP', () => {
  scriptTestingBehaviour(() => startEmbeddedSystem(scriptTestingEnv()));
});
