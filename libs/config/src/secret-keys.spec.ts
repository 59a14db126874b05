import { randomBytes } from 'node:crypto';
import { ConfigError } from './env-reader';
import { loadConfig } from './hookline-config';
import { formatSecretKey, parseSecretKeys } from './secret-keys';

describe('SECRETS_KEYS', () => {
  const a = randomBytes(32);
  const b = randomBytes(32);

  it('is empty by default', () => {
    expect(loadConfig({}).secrets.keys).toEqual([]);
  });

  it('lists keys in order, the first one encrypting', () => {
    const keys = loadConfig({ SECRETS_KEYS: ` k2:${b.toString('base64')} , k1:${a.toString('base64')},` }).secrets.keys;

    expect(keys).toEqual([
      { id: 'k2', key: b },
      { id: 'k1', key: a },
    ]);
  });

  it('reads base64url too', () => {
    expect(parseSecretKeys(`k:${a.toString('base64url')}`)).toEqual([{ id: 'k', key: a }]);
  });

  it('round-trips through formatSecretKey', () => {
    expect(parseSecretKeys(formatSecretKey({ id: 'local-1', key: a }))).toEqual([{ id: 'local-1', key: a }]);
  });

  it.each([
    ['no key id', a.toString('base64'), /SECRETS_KEYS entry 1 must be <keyId>:<base64 key>/],
    ['a bad key id', `k 1:${a.toString('base64')}`, /SECRETS_KEYS entry 1 has key id 'k 1'/],
    ['a repeated key id', `k:${a.toString('base64')},k:${b.toString('base64')}`, /entry 2 repeats key id 'k'/],
    ['a key that is not base64', 'k:not*base64!', /SECRETS_KEYS key 'k' is not base64/],
    [
      'a 16-byte key',
      `k:${randomBytes(16).toString('base64')}`,
      /SECRETS_KEYS key 'k' must be 32 bytes .* got 16 bytes/,
    ],
  ])('stops at %s with a ConfigError naming SECRETS_KEYS', (_case, value, message) => {
    expect(() => loadConfig({ SECRETS_KEYS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ SECRETS_KEYS: value })).toThrow(message);
  });

  it('never echoes key material in its errors', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => loadConfig({ SECRETS_KEYS: `k:${short}` })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(short) }),
    );
  });
});
