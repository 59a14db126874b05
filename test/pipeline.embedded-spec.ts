import { pipelineBehaviour, SUITE_ENV } from './pipeline.behaviour';
import { startEmbeddedSystem } from './harness/system';

describe('the webhook pipeline, embedded (PGlite, in-process bus)', () => {
  pipelineBehaviour(() => startEmbeddedSystem(SUITE_ENV));
});
