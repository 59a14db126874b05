import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { v7 as uuidv7 } from 'uuid';
import { parseSecretKeys } from '@hookline/config';
import { createDataSource, openDatabase } from '@hookline/persistence';
import { SecretCipher } from '@hookline/secrets';

const run = promisify(execFile);
const ROOT = join(__dirname, '../../..');

// `npm run secrets:rotate` as an operator runs it, on the embedded PGlite of a data directory.
describe('npm run secrets:rotate', () => {
  const keyA = `a:${randomBytes(32).toString('base64')}`;
  const keyB = `b:${randomBytes(32).toString('base64')}`;
  const cipher = (keys: string) => new SecretCipher(parseSecretKeys(keys));
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hookline-rotate-'));
    await withDatabase(async (db) => {
      const properties = [
        { name: 'WEBHOOK_SECRET', value: cipher(keyA).encrypt('gh-secret'), secret: true },
        { name: 'team', value: 'platform', secret: false },
      ];
      await db.query(
        `INSERT INTO providers (id, name, sequence, match_script, properties) VALUES ($1, 'github', 1, 'return true', $2)`,
        [uuidv7(), JSON.stringify(properties)],
      );
    });
  }, 60_000);

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function withDatabase<T>(work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
    const db = await openDatabase(createDataSource({ databaseUrl: undefined, dataDir }, 1));
    try {
      return await work(db);
    } finally {
      await db.destroy();
    }
  }

  const rotate = (secretsKeys: string) =>
    // The compiled script, as `npm run secrets:rotate` runs it (`npm run test:unit` builds first).
    run(process.execPath, ['--no-node-snapshot', 'dist/apps/admin-api/src/rotate-secrets.js'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, SECRETS_KEYS: secretsKeys, DATABASE_URL: '' },
    });
  const storedSecret = () =>
    withDatabase(async (db) => (await db.query(`SELECT properties FROM providers`))[0].properties[0].value as string);

  it('fails without the current key, changing nothing', async () => {
    const before = await storedSecret();

    await expect(rotate(keyB)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /secret rotation failed, nothing was changed: provider 'github' \(.+\): secret property 'WEBHOOK_SECRET' cannot be decrypted: it was encrypted with key 'a'/,
      ),
    });
    expect(await storedSecret()).toBe(before);
  }, 60_000);

  it('re-encrypts with the first key; the new key alone then decrypts', async () => {
    const { stdout } = await rotate(`${keyB},${keyA}`);

    expect(stdout).toContain("re-encrypted 1 secret value(s) of 1 provider(s); every secret is under key 'b'");
    const value = await storedSecret();
    expect(value).toMatch(/^enc:v1:b:/);
    expect(cipher(keyB).decrypt(value)).toBe('gh-secret');
  }, 60_000);
});
