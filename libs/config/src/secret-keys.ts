/** A key that encrypts secret provider properties: AES-256, so 32 bytes. */
export interface SecretKey {
  /** Written into every value it encrypts, so decryption finds it again after a rotation. */
  readonly id: string;
  readonly key: Buffer;
}

export const SECRET_KEY_BYTES = 32;

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Parses `keyId:base64,keyId:base64…` (the format of SECRETS_KEYS and of the embedded key file).
 * Errors name the entry and its key id but never echo key material.
 */
export function parseSecretKeys(raw: string): SecretKey[] {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const keys: SecretKey[] = [];
  entries.forEach((entry, i) => {
    const where = `entry ${i + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0) throw new Error(`${where} must be <keyId>:<base64 key>`);
    const id = entry.slice(0, colon).trim();
    const encoded = entry.slice(colon + 1).trim();
    if (!KEY_ID.test(id)) {
      throw new Error(`${where} has key id '${id}'; use 1 to 64 letters, digits, '.', '_' or '-'`);
    }
    if (keys.some((key) => key.id === id)) throw new Error(`${where} repeats key id '${id}'`);
    if (!BASE64.test(encoded)) throw new Error(`key '${id}' is not base64`);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== SECRET_KEY_BYTES) {
      throw new Error(
        `key '${id}' must be ${SECRET_KEY_BYTES} bytes in base64 (openssl rand -base64 32), got ${key.length} bytes`,
      );
    }
    keys.push({ id, key });
  });
  return keys;
}

/** One `keyId:base64` entry, as SECRETS_KEYS lists it. */
export const formatSecretKey = (key: SecretKey): string => `${key.id}:${key.key.toString('base64')}`;
