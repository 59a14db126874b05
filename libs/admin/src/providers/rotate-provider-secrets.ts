import type { DataSource } from 'typeorm';
import { ProviderStore, type ProviderProperty } from '@hookline/persistence';
import { reencryptProperties, SecretPropertyError, SecretsKeyMissingError, type SecretCipher } from '@hookline/secrets';
import { changeConfig } from '../config-change';

export interface SecretRotation {
  /** The key every secret is now encrypted with. */
  keyId: string;
  /** Providers whose properties were rewritten. */
  providers: number;
  /** Secret values re-encrypted (plaintext ones from before encryption included). */
  secrets: number;
}

/**
 * Re-encrypts every secret provider property that is not under the cipher's first key yet, in one
 * transaction that bumps the configuration revision so matchers and executors reload. A secret
 * that cannot be decrypted fails the whole rotation, and nothing changes.
 */
export async function rotateProviderSecrets(db: DataSource, cipher: SecretCipher): Promise<SecretRotation> {
  const keyId = cipher.keyId;
  if (keyId === undefined) throw new SecretsKeyMissingError();
  // changeConfig locks the revision first, so no provider change interleaves with the rotation.
  return changeConfig(db, async (tx) => {
    const providers = new ProviderStore(db);
    const rotation = { keyId, providers: 0, secrets: 0 };
    for (const provider of await providers.list(tx)) {
      let result: ReturnType<typeof reencryptProperties<ProviderProperty>>;
      try {
        result = reencryptProperties(provider.properties, cipher);
      } catch (error) {
        if (!(error instanceof SecretPropertyError)) throw error;
        throw new Error(`provider '${provider.name}' (${provider.id}): ${error.message}`, { cause: error });
      }
      if (result.changed === 0) continue;
      await providers.update(provider.id, { properties: result.properties }, tx);
      rotation.providers++;
      rotation.secrets += result.changed;
    }
    return rotation;
  });
}
