import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretKey } from '@hookline/config';

const PREFIX = 'enc:';
const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** No key is configured, so a secret can be neither encrypted nor decrypted. */
export class SecretsKeyMissingError extends Error {
  override name = 'SecretsKeyMissingError';
  readonly code = 'secrets_key_missing';

  constructor() {
    super(
      'no secrets key is configured: set SECRETS_KEYS (keyId:base64 of 32 bytes, e.g. from openssl rand -base64 32)',
    );
  }
}

/** A stored secret that cannot be turned back into its value; the message says why, never what. */
export class SecretDecryptionError extends Error {
  override name = 'SecretDecryptionError';
}

/**
 * Encrypts secret values at rest with AES-256-GCM as
 * `enc:v1:<keyId>:<iv base64>:<tag base64>:<ciphertext base64>`. The first key encrypts; every
 * key decrypts, found by the id written in the value, so keys can be rotated.
 */
export class SecretCipher {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly primary: SecretKey | undefined;

  constructor(keys: readonly SecretKey[]) {
    this.keys = new Map(keys.map((key) => [key.id, key.key]));
    this.primary = keys[0];
  }

  /** The id of the key `encrypt` uses; undefined when none is configured. */
  get keyId(): string | undefined {
    return this.primary?.id;
  }

  /** True for a value `decrypt` must decrypt; anything else is a plaintext value stored before encryption. */
  isEncrypted(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  /** The id of the key an encrypted value was encrypted with; null for plaintext. */
  keyIdOf(stored: string): string | null {
    return this.isEncrypted(stored) ? this.parse(stored).keyId : null;
  }

  /** @throws SecretsKeyMissingError without a key. */
  encrypt(plain: string): string {
    if (!this.primary) throw new SecretsKeyMissingError();
    const { id, key } = this.primary;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(header(id));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    const encoded = [iv, tag, ciphertext].map((part) => part.toString('base64')).join(':');
    return `${PREFIX}${VERSION}:${id}:${encoded}`;
  }

  /**
   * The value of a stored secret; a value without the `enc:` prefix is returned as it is.
   * @throws SecretsKeyMissingError without any key, SecretDecryptionError for an unknown key, a
   * wrong key or an altered value.
   */
  decrypt(stored: string): string {
    if (!this.isEncrypted(stored)) return stored;
    const { keyId, iv, tag, ciphertext } = this.parse(stored);
    if (this.keys.size === 0) throw new SecretsKeyMissingError();
    const key = this.keys.get(keyId);
    if (!key) {
      throw new SecretDecryptionError(
        `it was encrypted with key '${keyId}', which SECRETS_KEYS does not list (it has ${[...this.keys.keys()].map((id) => `'${id}'`).join(', ')})`,
      );
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(header(keyId));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptionError(
        `key '${keyId}' does not decrypt it: the key is not the one it was encrypted with, or the value was altered`,
      );
    }
  }

  private parse(stored: string): { keyId: string; iv: Buffer; tag: Buffer; ciphertext: Buffer } {
    const parts = stored.split(':');
    const [, version, keyId, iv, tag, ciphertext] = parts;
    if (parts.length !== 6 || version !== VERSION || !keyId) {
      throw new SecretDecryptionError(`it is not in the ${PREFIX}${VERSION}:<keyId>:<iv>:<tag>:<ciphertext> format`);
    }
    const decoded = {
      keyId,
      iv: Buffer.from(iv, 'base64'),
      tag: Buffer.from(tag, 'base64'),
      ciphertext: Buffer.from(ciphertext, 'base64'),
    };
    if (decoded.iv.length !== IV_BYTES || decoded.tag.length !== TAG_BYTES) {
      throw new SecretDecryptionError(`its iv or authentication tag has the wrong length`);
    }
    return decoded;
  }
}

/** Authenticated with the ciphertext, so a value cannot be passed off as another key's. */
const header = (keyId: string): Buffer => Buffer.from(`${PREFIX}${VERSION}:${keyId}`);
