import { createHash, randomBytes } from 'node:crypto';

/** Every API token starts with it: a leaked one is easy to recognise (and to scan for). */
export const TOKEN_PREFIX = 'hkl_';

/** A new token: 32 random bytes, base64url, after the prefix. */
export const newTokenSecret = (): string => `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;

/**
 * What is stored of a secret. A plain SHA-256 suffices: the secrets are 256 random bits, so there
 * is nothing to guess from the digest, and looking it up needs no constant-time comparison.
 */
export const secretSha256 = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');
