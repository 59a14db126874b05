import 'reflect-metadata';
import { loadConfig } from '@hookline/config';
import { requireServices, runMain } from '@hookline/hosting';
import { startExecutor } from './executor.app';

runMain(async () => {
  const config = loadConfig();
  requireServices(config, 'the executor');
  await startExecutor(config);
});
