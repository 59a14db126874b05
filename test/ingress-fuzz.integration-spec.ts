import { FUZZ_ENV, ingressFuzzBehaviour } from './ingress-fuzz.behaviour';
import { describeIntegration } from './harness/integration';
import { startDistributedSystem } from './harness/system';

describeIntegration('ingress fuzz, distributed (two ingress replicas)', () => {
  ingressFuzzBehaviour(() => startDistributedSystem(FUZZ_ENV));
});
