import { FUZZ_ENV, ingressFuzzBehaviour } from './ingress-fuzz.behaviour';
import { startEmbeddedSystem } from './harness/system';

describe('ingress fuzz, embedded', () => {
  ingressFuzzBehaviour(() => startEmbeddedSystem(FUZZ_ENV));
});
