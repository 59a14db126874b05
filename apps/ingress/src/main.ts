import 'reflect-metadata';
import { loadConfig } from '@hookline/config';
import { requireServices, runMain } from '@hookline/hosting';
import { startIngress } from './ingress.app';

runMain(async () => {
  const config = loadConfig();
  requireServices(config, 'the ingress');
  await startIngress(config);
});
