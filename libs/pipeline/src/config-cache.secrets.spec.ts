import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { WebhookRequest } from '@hookline/contracts';
import { ConfigStore, createDataSource, FunctionEntity, openDatabase, ProviderEntity } from '@hookline/persistence';
import { ScriptSandbox } from '@hookline/sandbox';
import { SecretCipher } from '@hookline/secrets';
import { ConfigCache, ConfigView } from './config-cache';
import { scriptInput } from './script-input';

// The configuration as matcher and executors load it from a real ConfigStore (PGlite): secrets are
// stored encrypted and reach scripts decrypted, or not at all.
describe('ConfigCache and secret properties', () => {
  const keyA = { id: 'a', key: randomBytes(32) };
  const keyB = { id: 'b', key: randomBytes(32) };
  const body = Buffer.from('{ "ref": "refs/heads/main" }');
  const request: WebhookRequest = {
    method: 'POST',
    uri: 'git/push',
    query: {},
    headers: { 'x-hub-signature-256': `sha256=${createHmac('sha256', 'gh-secret').update(body).digest('hex')}` },
    remoteAddr: '203.0.113.7',
    contentType: 'application/json',
    body: body.toString('base64'),
    receivedAt: new Date().toISOString(),
  };
  const sandbox = new ScriptSandbox();
  let dataDir: string;
  let db: DataSource;
  let store: ConfigStore;
  const ids = { github: uuidv7(), plain: uuidv7(), deploy: uuidv7() };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hookline-pipeline-'));
    db = await openDatabase(createDataSource({ databaseUrl: undefined, dataDir }));
    store = new ConfigStore(db);
    const encrypt = (plain: string) => new SecretCipher([keyA]).encrypt(plain);
    await db.transaction(async (tx) => {
      await ConfigStore.bump(tx);
      await tx.insert(ProviderEntity, [
        {
          id: ids.github,
          name: 'github',
          sequence: 1,
          matchScript: 'LOG.info("secret is", WEBHOOK_SECRET); return GITHUB.verify(WEBHOOK_SECRET);',
          properties: [
            { name: 'WEBHOOK_SECRET', value: encrypt('gh-secret'), secret: true },
            { name: 'team', value: 'platform', secret: false },
          ],
        },
        {
          id: ids.plain,
          name: 'plain',
          sequence: 2,
          matchScript: 'return team === "ops";',
          properties: [{ name: 'team', value: 'ops', secret: false }],
        },
      ]);
      await tx.insert(FunctionEntity, {
        id: ids.deploy,
        name: 'deploy',
        providerId: ids.github,
        uri: 'git/push',
        script: 'return WEBHOOK_SECRET.length;',
      });
    });
  }, 60_000);

  afterAll(async () => {
    sandbox.dispose();
    await db.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const match = (view: ConfigView, providerId: string) => {
    const provider = view.provider(providerId)!;
    return sandbox.run('match', provider.matchScript, scriptInput('msg-1', request, provider));
  };
  const execute = (view: ConfigView, functionId: string) => {
    const fn = view.function(functionId)!;
    return sandbox.run('function', fn.script, scriptInput('msg-1', request, view.provider(fn.providerId)!));
  };

  it('hands scripts the decrypted value, which their logs still mask', async () => {
    const view = await new ConfigCache(store, new SecretCipher([keyB, keyA])).refresh();

    expect(view.provider(ids.github)!.properties).toEqual([
      { name: 'WEBHOOK_SECRET', value: 'gh-secret', secret: true },
      { name: 'team', value: 'platform', secret: false },
    ]);
    const matched = await match(view, ids.github);
    expect(matched).toMatchObject({ ok: true, matched: true });
    expect(matched.logs.map((line) => line.text)).toEqual(['secret is ****']);
    expect(await execute(view, ids.deploy)).toMatchObject({ ok: true, value: 'gh-secret'.length });
  });

  it('decrypts once per load, not once per message', async () => {
    const cipher = new SecretCipher([keyA]);
    const decrypt = jest.spyOn(cipher, 'decrypt');
    const cache = new ConfigCache(store, cipher);

    await cache.refresh();
    await cache.asOf(new Date());
    await cache.asOf(new Date());

    expect(decrypt).toHaveBeenCalledTimes(1);
  });

  it('fails the scripts of a provider whose secret cannot be decrypted, saying why, and never shows them the ciphertext', async () => {
    const unreadable: string[] = [];
    const snapshot = await store.snapshot();
    const view = new ConfigView(snapshot, new SecretCipher([keyB]), (provider, error) =>
      unreadable.push(`${provider.name}: ${error.message}`),
    );

    const reason =
      "provider 'github': secret property 'WEBHOOK_SECRET' cannot be decrypted: it was encrypted with key 'a', which SECRETS_KEYS does not list (it has 'b'); none of the provider's scripts run until it can be decrypted";
    expect(unreadable).toEqual([
      "github: secret property 'WEBHOOK_SECRET' cannot be decrypted: it was encrypted with key 'a', which SECRETS_KEYS does not list (it has 'b')",
    ]);
    expect(view.provider(ids.github)!.properties).toEqual([{ name: 'team', value: 'platform', secret: false }]);
    expect(await match(view, ids.github)).toMatchObject({
      ok: false,
      matched: false,
      error: { name: 'Error', message: reason },
    });
    expect(view.functionsFor(ids.github, 'git/push').map((fn) => fn.id)).toEqual([ids.deploy]);
    expect(await execute(view, ids.deploy)).toMatchObject({ ok: false, error: { message: reason } });
    // Other providers are not concerned.
    expect(await match(view, ids.plain)).toMatchObject({ ok: true, matched: true });
  });

  it('says so when no key is configured at all', async () => {
    const view = await new ConfigCache(store, new SecretCipher([])).refresh();

    expect((await match(view, ids.github)).error?.message).toMatch(
      /^provider 'github': secret property 'WEBHOOK_SECRET' cannot be decrypted: no secrets key is configured: set SECRETS_KEYS/,
    );
  });
});
