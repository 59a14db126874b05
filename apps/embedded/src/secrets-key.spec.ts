import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSecretKeys } from '@hookline/config';
import { resolveSecretKeys } from './secrets-key';

describe('resolveSecretKeys', () => {
  let dataDir: string;

  beforeEach(() => (dataDir = join(mkdtempSync(join(tmpdir(), 'hookline-key-')), 'data')));
  afterEach(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

  it('generates a key once, readable by its owner only, and keeps using it', () => {
    const first = resolveSecretKeys(dataDir, []);
    const file = join(dataDir, 'secrets-key');

    expect(first.source).toBe(`${file} (generated now)`);
    expect(first.keys).toEqual([{ id: expect.stringMatching(/^local-\d{8}$/), key: expect.any(Buffer) }]);
    expect(first.keys[0].key).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // The file holds one SECRETS_KEYS entry.
    expect(parseSecretKeys(readFileSync(file, 'utf8'))).toEqual(first.keys);

    expect(resolveSecretKeys(dataDir, [])).toEqual({ keys: first.keys, source: file });
  });

  it('prefers SECRETS_KEYS and then writes nothing', () => {
    const keys = [{ id: 'k', key: randomBytes(32) }];

    expect(resolveSecretKeys(dataDir, keys)).toEqual({ keys, source: 'SECRETS_KEYS' });
    expect(() => statSync(join(dataDir, 'secrets-key'))).toThrow();
  });

  it('names the file when it is damaged', () => {
    resolveSecretKeys(dataDir, []);
    const file = join(dataDir, 'secrets-key');
    writeFileSync(file, 'local:short');

    expect(() => resolveSecretKeys(dataDir, [])).toThrow(`${file}: key 'local' must be 32 bytes`);
  });
});
