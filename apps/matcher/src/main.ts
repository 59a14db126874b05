import 'reflect-metadata';
import { loadConfig } from '@hookline/config';
import { requireServices, runMain } from '@hookline/hosting';
import { startMatcher } from './matcher.app';

runMain(async () => {
  const config = loadConfig();
  requireServices(config, 'the matcher');
  await startMatcher(config);
});
