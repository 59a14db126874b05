import 'reflect-metadata';
import { loadConfig } from '@hookline/config';
import { requireServices, runMain } from '@hookline/hosting';
import { startAdminApi } from './admin-api.app';

runMain(async () => {
  const config = loadConfig();
  requireServices(config, 'the admin API');
  await startAdminApi(config);
});
