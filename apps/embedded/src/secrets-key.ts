import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatSecretKey, parseSecretKeys, SECRET_KEY_BYTES, type SecretKey } from '@hookline/config';

/**
 * SECRETS_KEYS when set; else the key generated on the first start and kept in the data directory
 * (`keyId:base64`, the format of one SECRETS_KEYS entry, so it can be listed there when rotating).
 */
export function resolveSecretKeys(dataDir: string, fromEnv: SecretKey[]): { keys: SecretKey[]; source: string } {
  if (fromEnv.length > 0) return { keys: fromEnv, source: 'SECRETS_KEYS' };
  const file = join(dataDir, 'secrets-key');
  if (existsSync(file)) {
    let keys: SecretKey[];
    try {
      keys = parseSecretKeys(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`);
    }
    if (keys.length === 0) throw new Error(`${file} holds no key; delete it to generate one, or set SECRETS_KEYS`);
    return { keys, source: file };
  }
  mkdirSync(dataDir, { recursive: true });
  const key = {
    id: `local-${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`,
    key: randomBytes(SECRET_KEY_BYTES),
  };
  writeFileSync(file, `${formatSecretKey(key)}\n`, { mode: 0o600, flag: 'wx' });
  return { keys: [key], source: `${file} (generated now)` };
}
