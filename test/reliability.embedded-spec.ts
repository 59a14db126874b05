import { reliabilityBehaviour, RELIABILITY_ENV } from './reliability.behaviour';
import { startEmbeddedSystem } from './harness/system';

describe('reliability, embedded (PGlite, in-process bus)', () => {
  reliabilityBehaviour(() => startEmbeddedSystem(RELIABILITY_ENV));
});
