import type { SecretCipher } from './secret-cipher';

/** A provider property as stored: `value` of a secret one is encrypted (or plaintext from before encryption). */
export interface StoredProperty {
  name: string;
  value: string;
  secret: boolean;
}

/** A secret property that cannot be decrypted; the message names it and says why. */
export class SecretPropertyError extends Error {
  override name = 'SecretPropertyError';

  constructor(
    readonly property: string,
    cause: Error,
  ) {
    super(`secret property '${property}' cannot be decrypted: ${cause.message}`, { cause });
  }
}

/**
 * The properties with every secret value decrypted, for scripts.
 * @throws SecretPropertyError for the first secret that cannot be decrypted.
 */
export function decryptProperties<T extends StoredProperty>(properties: readonly T[], cipher: SecretCipher): T[] {
  return properties.map((property) => {
    if (!property.secret) return property;
    try {
      return { ...property, value: cipher.decrypt(property.value) };
    } catch (error) {
      throw new SecretPropertyError(property.name, error as Error);
    }
  });
}

/**
 * The properties with every secret encrypted with the cipher's first key: values under another
 * key are decrypted first, plaintext ones encrypted. `changed` counts the values rewritten.
 * @throws SecretPropertyError for a secret that cannot be decrypted.
 */
export function reencryptProperties<T extends StoredProperty>(
  properties: readonly T[],
  cipher: SecretCipher,
): { properties: T[]; changed: number } {
  let changed = 0;
  const reencrypted = properties.map((property) => {
    if (!property.secret || cipher.keyIdOf(property.value) === cipher.keyId) return property;
    const [plain] = decryptProperties([property], cipher);
    changed++;
    return { ...property, value: cipher.encrypt(plain.value) };
  });
  return { properties: reencrypted, changed };
}
