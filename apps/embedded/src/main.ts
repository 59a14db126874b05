import 'reflect-metadata';
import { loadConfig } from '@hookline/config';
import { listeningPort, runMain } from '@hookline/hosting';
import { resolveAdminToken } from './admin-token';
import { startEmbedded } from './embedded.app';
import { resolveSecretKeys } from './secrets-key';

runMain(async () => {
  const config = loadConfig();
  const admin = resolveAdminToken(config.dataDir, config.adminToken);
  config.adminToken = admin.token;
  const secrets = resolveSecretKeys(config.dataDir, config.secrets.keys);
  config.secrets.keys = secrets.keys;
  const app = await startEmbedded(config);
  const base = `http://localhost:${listeningPort(app)}`;
  const database = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}`;
  const transport = config.kafka.brokers.length > 0 ? `Kafka ${config.kafka.brokers.join(',')}` : 'in-process';
  process.stdout.write(
    [
      '',
      `Hookline is listening on ${base}`,
      `  console:   ${base}/ (sign in with the admin token below)`,
      `  database:  ${database}`,
      `  transport: ${transport}`,
      `  admin token (${admin.source}): ${admin.token}`,
      `  secrets key: '${secrets.keys[0].id}' (${secrets.source})`,
      `  API docs:  ${base}/api/docs`,
      '',
      'Try it:',
      `  curl -s -X POST ${base}/api/v1/providers -H 'Authorization: Bearer ${admin.token}' -H 'Content-Type: application/json' \\`,
      `    -d '{"name":"Anything","matchScript":"return true"}'`,
      `  curl -s -X POST ${base}/api/v1/functions -H 'Authorization: Bearer ${admin.token}' -H 'Content-Type: application/json' \\`,
      `    -d '{"name":"Echo","providerId":"<id from above>","uri":"demo/hello","script":"LOG.info(PAYLOAD.greeting); return PAYLOAD"}'`,
      `  curl -s -X POST ${base}/flexdeploy/webhooks/v1/demo/hello -H 'flex-sync-webhook: true' -d '{"greeting":"hi"}'`,
      `  curl -s ${base}/api/v1/messages -H 'Authorization: Bearer ${admin.token}'`,
      '',
    ].join('\n'),
  );
});
