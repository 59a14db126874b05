import type { ProviderProperty } from '@hookline/persistence';
import { SecretsKeyMissingError, type SecretCipher } from '@hookline/secrets';
import { SecretsKeyMissingApiError, ValidationFailedError } from '../errors/api-error';

/** What responses show instead of a secret value, and what a client sends back to keep it. */
export const SECRET_MASK = '****';

export interface PropertyInput {
  name: string;
  value: string;
  secret?: boolean;
}

export const maskSecrets = (properties: ProviderProperty[]): ProviderProperty[] =>
  properties.map((property) => (property.secret ? { ...property, value: SECRET_MASK } : property));

/**
 * The properties to store from those sent: names must be unique, secret values are encrypted, and
 * a secret sent as `"****"` keeps the value stored under the same name (its ciphertext as it is),
 * so a client can send back what it read.
 */
export function resolveProperties(
  sent: PropertyInput[],
  stored: ProviderProperty[],
  cipher: SecretCipher,
): ProviderProperty[] {
  const storedByName = new Map(stored.map((property) => [property.name, property]));
  const seen = new Set<string>();
  return sent.map(({ name, value, secret = false }, i) => {
    if (seen.has(name)) {
      throw new ValidationFailedError(`properties[${i}].name`, `property '${name}' is listed more than once`);
    }
    seen.add(name);
    if (!secret) return { name, value, secret };
    if (value !== SECRET_MASK) return { name, value: encrypt(cipher, value, i, name), secret };
    const kept = storedByName.get(name);
    if (!kept) {
      throw new ValidationFailedError(
        `properties[${i}].value`,
        `'${SECRET_MASK}' keeps the stored value of secret property '${name}', but none is stored; send the value itself`,
      );
    }
    // A value stored in plaintext (before encryption, or as a property that was not secret) is
    // encrypted now when a key allows; without one it stays as it was rather than failing the change.
    const keep = cipher.isEncrypted(kept.value) || cipher.keyId === undefined;
    return { name, value: keep ? kept.value : encrypt(cipher, kept.value, i, name), secret };
  });
}

function encrypt(cipher: SecretCipher, value: string, i: number, name: string): string {
  try {
    return cipher.encrypt(value);
  } catch (error) {
    if (error instanceof SecretsKeyMissingError) throw new SecretsKeyMissingApiError(`properties[${i}].value`, name);
    throw error;
  }
}
