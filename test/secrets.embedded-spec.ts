import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from './harness/http';
import { startEmbeddedSystem, type System } from './harness/system';

// Secret provider properties as a user meets them: stored encrypted, never shown, decrypted for
// the scripts that verify signatures with them, and a clear failure when the key is wrong.
describe('secret provider properties, embedded', () => {
  const keyA = `a:${randomBytes(32).toString('base64')}`;
  const keyB = `b:${randomBytes(32).toString('base64')}`;
  const body = '{"ref":"refs/heads/main","note":"grüße"}';
  const signed = (secret: string) => ({
    'content-type': 'application/json',
    'x-github-event': 'push',
    'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-secrets-'));
  let system: System;
  let client: Client;
  let providerId: string;

  const start = async (secretsKeys: string) => {
    system = await startEmbeddedSystem({ DATA_DIR: dataDir, SECRETS_KEYS: secretsKeys });
    client = new Client(system);
  };

  beforeAll(async () => {
    await start(keyA);
    const provider = await client.provider({
      template: 'github',
      properties: [{ name: 'WEBHOOK_SECRET', value: 'gh-secret' }],
    });
    providerId = provider.id;
    await client.fn({
      name: 'deploy',
      providerId,
      uri: 'git/push',
      script:
        "LOG.info('using', WEBHOOK_SECRET); LOG.setMessage('signed with ' + WEBHOOK_SECRET); return { ok: true };",
    });
  }, 60_000);

  afterAll(async () => {
    await system?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores the secret encrypted and never shows it', async () => {
    const [row] = await system.db.query(`SELECT properties FROM providers WHERE id = $1`, [providerId]);
    expect(row.properties).toEqual([
      { name: 'WEBHOOK_SECRET', value: expect.stringMatching(/^enc:v1:a:/), secret: true },
    ]);
    expect(JSON.stringify(row.properties)).not.toContain('gh-secret');

    const shown = await client.admin('GET', `/providers/${providerId}`);
    expect(shown.body.properties).toEqual([{ name: 'WEBHOOK_SECRET', value: '****', secret: true }]);
  });

  it('matches a request signed with the decrypted secret, and masks it in what the run recorded', async () => {
    const reply = await client.webhook('git/push', { sync: true, body, headers: signed('gh-secret') });

    expect(reply.status).toBe(200);
    expect(reply.body.executions).toEqual([
      expect.objectContaining({ functionName: 'deploy', status: 'SUCCESS', message: 'signed with ****' }),
    ]);
    const message = await client.settled(reply.body.messageId);
    expect(message.executions[0].logs.map((line: { text: string }) => line.text)).toEqual(['using ****']);
    expect(JSON.stringify(message)).not.toContain('gh-secret');
  });

  it('does not match a request signed with another secret', async () => {
    const reply = await client.webhook('git/push', { sync: true, body, headers: signed('other') });

    expect(reply.status).toBe(404);
  });

  it('fails the match with a clear reason when the key is not configured, until it is again', async () => {
    await system.stop();
    await start(keyB);

    const refused = await client.webhook('git/push', { sync: true, body, headers: signed('gh-secret') });

    expect(refused.status).toBe(404);
    const message = await client.settled(refused.body.messageId);
    expect(message.matchLog.map((line: { text: string }) => line.text)).toEqual([
      expect.stringContaining(
        "[GitHub] match script failed, counted as no match: Error: provider 'GitHub': secret property 'WEBHOOK_SECRET' cannot be decrypted: it was encrypted with key 'a', which SECRETS_KEYS does not list (it has 'b')",
      ),
    ]);

    await system.stop();
    await start(`${keyB},${keyA}`);
    const accepted = await client.webhook('git/push', { sync: true, body, headers: signed('gh-secret') });
    expect(accepted.status).toBe(200);
  }, 60_000);
});
