import { startEmbeddedSystem } from './harness/system';
import { permissionsBehaviour } from './permissions.behaviour';

describe('API tokens, roles and the audit log, embedded (PGlite, in-process bus), through HTTP', () => {
  permissionsBehaviour(() => startEmbeddedSystem());
});
