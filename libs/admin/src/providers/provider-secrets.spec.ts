import { v7 as uuidv7 } from 'uuid';
import { parseSecretKeys } from '@hookline/config';
import { SecretCipher } from '@hookline/secrets';
import { createAdminTestApp, newSecretsKey, START_TIMEOUT_MS, type AdminTestApp } from '../testing/admin-test-app';
import { rotateProviderSecrets } from './rotate-provider-secrets';

type StoredProperty = { name: string; value: string; secret: boolean };

const MATCH = 'return true;';

describe('provider secrets without a key', () => {
  let t: AdminTestApp;

  beforeAll(async () => {
    t = await createAdminTestApp({ env: { SECRETS_KEYS: '' } });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await t.close();
  });

  it('refuses to store a secret, saying why, and stores nothing', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/v1/providers',
      payload: {
        name: 'github',
        matchScript: MATCH,
        properties: [
          { name: 'team', value: 'platform' },
          { name: 'WEBHOOK_SECRET', value: 'gh-secret', secret: true },
        ],
      },
    });

    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: 'secrets_key_missing',
      field: 'properties[1].value',
      message:
        "secret property 'WEBHOOK_SECRET' cannot be stored: no secrets key is configured on the server (set SECRETS_KEYS)",
    });
    expect(await t.db.query(`SELECT id FROM providers WHERE name = 'github'`)).toEqual([]);
  });

  it('stores providers without secrets as usual', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/v1/providers',
      payload: { name: 'plain', matchScript: MATCH, properties: [{ name: 'team', value: 'platform' }] },
    });

    expect(response.statusCode).toBe(201);
  });
});

describe('secret rotation', () => {
  const keyA = newSecretsKey('a');
  const keyB = newSecretsKey('b');
  const cipher = (...keys: string[]) => new SecretCipher(parseSecretKeys(keys.join(',')));
  let t: AdminTestApp;

  beforeAll(async () => {
    t = await createAdminTestApp({ env: { SECRETS_KEYS: keyA } });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await t.close();
  });

  beforeEach(async () => {
    await t.db.query('DELETE FROM providers');
  });

  const createProvider = async (name: string, properties: object[]) => {
    const response = await t.request({
      method: 'POST',
      url: '/api/v1/providers',
      payload: { name, matchScript: MATCH, properties },
    });
    expect(response.statusCode).toBe(201);
    return response.json().id as string;
  };
  const stored = async (id: string): Promise<StoredProperty[]> =>
    (await t.db.query(`SELECT properties FROM providers WHERE id = $1`, [id]))[0].properties;

  it('re-encrypts every secret with the first key, after which that key alone decrypts them', async () => {
    const github = await createProvider('github', [
      { name: 'WEBHOOK_SECRET', value: 'gh-secret', secret: true },
      { name: 'team', value: 'platform' },
    ]);
    const stripe = await createProvider('stripe', [{ name: 'STRIPE_WEBHOOK_SECRET', value: 'whsec_1', secret: true }]);
    const plain = await createProvider('plain', [{ name: 'team', value: 'ops' }]);
    const before = await t.config.revision();
    const plainRow = await stored(plain);

    const rotation = await rotateProviderSecrets(t.db, cipher(keyB, keyA));

    expect(rotation).toEqual({ keyId: 'b', providers: 2, secrets: 2 });
    expect(await t.config.revision()).toBe(before + 1);
    const onlyB = cipher(keyB);
    const [secret, team] = await stored(github);
    expect(onlyB.keyIdOf(secret.value)).toBe('b');
    expect(onlyB.decrypt(secret.value)).toBe('gh-secret');
    expect(team).toEqual({ name: 'team', value: 'platform', secret: false });
    expect(onlyB.decrypt((await stored(stripe))[0].value)).toBe('whsec_1');
    expect(await stored(plain)).toEqual(plainRow);
    expect(() => cipher(keyA).decrypt(secret.value)).toThrow(/encrypted with key 'b'/);

    // Run again: nothing left to do.
    expect(await rotateProviderSecrets(t.db, cipher(keyB, keyA))).toEqual({ keyId: 'b', providers: 0, secrets: 0 });
  });

  it('encrypts secrets stored in plaintext before encryption existed', async () => {
    const id = uuidv7();
    await t.db.query(
      `INSERT INTO providers (id, name, sequence, match_script, properties) VALUES ($1, 'legacy', 1, $2, $3)`,
      [id, MATCH, JSON.stringify([{ name: 'TOKEN', value: 'plain-token', secret: true }])],
    );

    await rotateProviderSecrets(t.db, cipher(keyB));

    const [token] = await stored(id);
    expect(token.value).toMatch(/^enc:v1:b:/);
    expect(cipher(keyB).decrypt(token.value)).toBe('plain-token');
  });

  it('changes nothing when one secret cannot be decrypted, and says which', async () => {
    const first = await createProvider('first', [{ name: 'A_SECRET', value: 'one', secret: true }]);
    const rows = await stored(first);
    const keyC = newSecretsKey('c');
    // 'second' is encrypted with a key the rotation is not given.
    const second = uuidv7();
    const foreign = cipher(keyC).encrypt('two');
    await t.db.query(
      `INSERT INTO providers (id, name, sequence, match_script, properties) VALUES ($1, 'second', 2, $2, $3)`,
      [second, MATCH, JSON.stringify([{ name: 'B_SECRET', value: foreign, secret: true }])],
    );
    const before = await t.config.revision();

    await expect(rotateProviderSecrets(t.db, cipher(keyB, keyA))).rejects.toThrow(
      `provider 'second' (${second}): secret property 'B_SECRET' cannot be decrypted: it was encrypted with key 'c', which SECRETS_KEYS does not list (it has 'b', 'a')`,
    );
    expect(await stored(first)).toEqual(rows);
    expect(await t.config.revision()).toBe(before);
  });

  it('needs a key', async () => {
    await expect(rotateProviderSecrets(t.db, new SecretCipher([]))).rejects.toThrow(/SECRETS_KEYS/);
  });
});
