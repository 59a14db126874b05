import { startEmbeddedSystem } from './harness/system';
import { operationsBehaviour } from './operations.behaviour';

describe('operating Hookline through the admin API, embedded', () => {
  operationsBehaviour(() => startEmbeddedSystem());
});
