import 'reflect-metadata';
import { rotateProviderSecrets } from '@hookline/admin';
import { loadConfig } from '@hookline/config';
import { createDataSource, openDatabase } from '@hookline/persistence';
import { SecretCipher } from '@hookline/secrets';

/**
 * `npm run secrets:rotate`: re-encrypts every secret provider property with the first key of
 * SECRETS_KEYS (the others only decrypt) in one transaction, on DATABASE_URL or the embedded
 * PGlite in DATA_DIR (with the embedded process stopped), and exits.
 */
async function main() {
  const config = loadConfig();
  if (config.secrets.keys.length === 0) {
    throw new Error('set SECRETS_KEYS to the new key followed by the current ones: newId:base64,currentId:base64');
  }
  const db = await openDatabase(createDataSource(config, 1));
  try {
    const { keyId, providers, secrets } = await rotateProviderSecrets(db, new SecretCipher(config.secrets.keys));
    console.log(
      `re-encrypted ${secrets} secret value(s) of ${providers} provider(s); every secret is under key '${keyId}'`,
    );
  } finally {
    await db.destroy();
  }
}

main().catch((error) => {
  console.error(
    `secret rotation failed, nothing was changed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
