import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** ADMIN_TOKEN when set; else the token generated on the first start and kept in the data directory. */
export function resolveAdminToken(dataDir: string, fromEnv: string | undefined): { token: string; source: string } {
  if (fromEnv) return { token: fromEnv, source: 'ADMIN_TOKEN' };
  const file = join(dataDir, 'admin-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), source: file };
  mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, source: `${file} (generated now)` };
}
