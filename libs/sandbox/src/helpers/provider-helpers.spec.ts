import { createHmac, randomBytes } from 'node:crypto';
import { ScriptSandbox } from '../script-sandbox';
import { scriptInput } from '../testing/script-input.fixture';

// Each provider's signature is computed here the way the provider documents it, over the raw
// body, and checked by a match script through the helper a user would call.
describe('provider helpers', () => {
  const sandbox = new ScriptSandbox();
  afterAll(() => sandbox.dispose());

  // Formatting a JSON serialiser would not reproduce, so only the raw bytes verify.
  const body = Buffer.from(
    '{ "ref":"refs/heads/main",  "commits": [\n {"id":"1","added":["a.ts"],"modified":["b.ts"],"removed":[]},\n {"id":"2","added":[],"modified":["b.ts","c.ts"],"removed":["d.ts"]}\n ], "note": "grüße" }\n',
  );
  const hex = (key: string | Buffer, ...parts: Array<string | Buffer>) => mac(key, parts).digest('hex');
  const base64 = (key: string | Buffer, ...parts: Array<string | Buffer>) => mac(key, parts).digest('base64');
  const now = () => Math.floor(Date.now() / 1000);

  function mac(key: string | Buffer, parts: Array<string | Buffer>) {
    const hmac = createHmac('sha256', key);
    for (const part of parts) hmac.update(part);
    return hmac;
  }

  const match = async (source: string, headers: Record<string, string>, requestBody = body) =>
    (await sandbox.run('match', source, scriptInput({ headers, body: requestBody }))).value;

  describe('GITHUB', () => {
    const headers = {
      'x-hub-signature-256': `sha256=${hex('gh-secret', body)}`,
      'x-github-event': 'push',
      'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
    };

    it('verifies X-Hub-Signature-256', async () => {
      expect(await match("return GITHUB.verify('gh-secret')", headers)).toBe(true);
      expect(await match("return GITHUB.verify('wrong')", headers)).toBe(false);
      expect(await match("return GITHUB.verify('gh-secret')", { ...headers, 'x-hub-signature-256': 'sha256=00' })).toBe(
        false,
      );
      expect(await match("return GITHUB.verify('gh-secret')", { 'x-github-event': 'push' })).toBe(false);
    });

    it('fails when one byte of the body differs', async () => {
      const tampered = Buffer.from(body.toString().replace('main', 'mainx'));
      expect(await match("return GITHUB.verify('gh-secret')", headers, tampered)).toBe(false);
    });

    it('reads event, delivery, branch, commits and changed files', async () => {
      const value = await match(
        'return [GITHUB.event, GITHUB.deliveryId, GITHUB.branch, GITHUB.commits.map((c) => c.id), GITHUB.changedFiles]',
        headers,
      );
      expect(value).toEqual([
        'push',
        '72d3162e-cc78-11e3-81ab-4c9367dc0958',
        'main',
        ['1', '2'],
        ['a.ts', 'b.ts', 'c.ts', 'd.ts'],
      ]);
    });

    it('has no branch for a tag push, and empty lists without commits', async () => {
      const tag = Buffer.from('{"ref":"refs/tags/v1.0.0"}');
      expect(await match('return [GITHUB.branch, GITHUB.commits, GITHUB.changedFiles, GITHUB.event]', {}, tag)).toEqual(
        [null, [], [], null],
      );
    });
  });

  describe('GITLAB', () => {
    const headers = { 'x-gitlab-token': 'gl-token', 'x-gitlab-event': 'Push Hook' };

    it('verifies X-Gitlab-Token', async () => {
      expect(await match("return GITLAB.verify('gl-token')", headers)).toBe(true);
      expect(await match("return GITLAB.verify('gl-token-longer')", headers)).toBe(false);
      expect(await match("return GITLAB.verify('gl-token')", {})).toBe(false);
    });

    it('reads event and branch', async () => {
      expect(await match('return [GITLAB.event, GITLAB.branch]', headers)).toEqual(['Push Hook', 'main']);
    });
  });

  describe('BITBUCKET', () => {
    it('verifies X-Hub-Signature (Cloud and Server)', async () => {
      const headers = { 'x-hub-signature': `sha256=${hex('bb-secret', body)}` };
      expect(await match("return BITBUCKET.verify('bb-secret')", headers)).toBe(true);
      expect(await match("return BITBUCKET.verify('other')", headers)).toBe(false);
      expect(
        await match("return BITBUCKET.verify('bb-secret')", { 'x-hub-signature': `sha1=${hex('bb-secret', body)}` }),
      ).toBe(false);
    });
  });

  describe('AZURE_DEVOPS', () => {
    it('verifies basic authentication', async () => {
      const headers = { authorization: `Basic ${Buffer.from('hooks:p@ss:word').toString('base64')}` };
      expect(await match("return AZURE_DEVOPS.verifyBasic('hooks', 'p@ss:word')", headers)).toBe(true);
      expect(await match("return AZURE_DEVOPS.verifyBasic('hooks', 'p@ss')", headers)).toBe(false);
      expect(await match("return AZURE_DEVOPS.verifyBasic('hooks', 'p@ss:word')", { authorization: 'Bearer x' })).toBe(
        false,
      );
    });

    it('verifies a custom header', async () => {
      const headers = { 'x-azure-secret': 'az-secret' };
      expect(await match("return AZURE_DEVOPS.verifyHeader('X-Azure-Secret', 'az-secret')", headers)).toBe(true);
      expect(await match("return AZURE_DEVOPS.verifyHeader('X-Azure-Secret', 'nope')", headers)).toBe(false);
      expect(await match("return AZURE_DEVOPS.verifyHeader('X-Missing', 'az-secret')", headers)).toBe(false);
    });
  });

  describe('SLACK', () => {
    const signed = (timestamp: number, secret = 'slack-secret') => ({
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': `v0=${hex(secret, `v0:${timestamp}:`, body)}`,
    });

    it('verifies a fresh signature', async () => {
      expect(await match("return SLACK.verify('slack-secret')", signed(now()))).toBe(true);
      expect(await match("return SLACK.verify('other')", signed(now()))).toBe(false);
    });

    it('refuses a stale timestamp, within a custom window too', async () => {
      const stale = signed(now() - 600);
      expect(await match("return SLACK.verify('slack-secret')", stale)).toBe(false);
      expect(await match("return SLACK.verify('slack-secret', 900)", stale)).toBe(true);
      expect(await match("return SLACK.verify('slack-secret', 60)", signed(now() - 120))).toBe(false);
    });

    it('refuses a timestamp that was not signed', async () => {
      const headers = { ...signed(now() - 10), 'x-slack-request-timestamp': String(now()) };
      expect(await match("return SLACK.verify('slack-secret')", headers)).toBe(false);
    });
  });

  describe('STRIPE', () => {
    const signature = (timestamp: number, secret: string) => hex(secret, `${timestamp}.`, body);

    it('verifies t and v1', async () => {
      const t = now();
      const headers = { 'stripe-signature': `t=${t},v1=${signature(t, 'whsec_stripe')}` };
      expect(await match("return STRIPE.verify('whsec_stripe')", headers)).toBe(true);
      expect(await match("return STRIPE.verify('whsec_other')", headers)).toBe(false);
    });

    it('accepts any of several v1 signatures (secret rolling)', async () => {
      const t = now();
      const header = `t=${t},v1=${signature(t, 'old-secret')},v1=${signature(t, 'new-secret')},v0=deadbeef`;
      expect(
        await match("return [STRIPE.verify('old-secret'), STRIPE.verify('new-secret'), STRIPE.verify('x')]", {
          'stripe-signature': header,
        }),
      ).toEqual([true, true, false]);
    });

    it('honours the tolerance', async () => {
      const t = now() - 400;
      const headers = { 'stripe-signature': `t=${t},v1=${signature(t, 's')}` };
      expect(await match("return [STRIPE.verify('s'), STRIPE.verify('s', 500)]", headers)).toEqual([false, true]);
    });

    it('is false for a malformed header', async () => {
      expect(await match("return STRIPE.verify('s')", { 'stripe-signature': 'garbage' })).toBe(false);
    });
  });

  describe('SHOPIFY', () => {
    it('verifies X-Shopify-Hmac-Sha256 (base64)', async () => {
      const headers = { 'x-shopify-hmac-sha256': base64('shpss_secret', body) };
      expect(await match("return SHOPIFY.verify('shpss_secret')", headers)).toBe(true);
      expect(await match("return SHOPIFY.verify('other')", headers)).toBe(false);
    });
  });

  describe('STANDARD_WEBHOOKS', () => {
    const key = randomBytes(24);
    const secret = `whsec_${key.toString('base64')}`;
    const signed = (timestamp: number, ...keys: Buffer[]) => ({
      'webhook-id': 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': keys
        .map((k) => `v1,${base64(k, `msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.${timestamp}.`, body)}`)
        .join(' '),
    });

    it('verifies with a whsec_ secret and a bare base64 secret', async () => {
      const headers = signed(now(), key);
      expect(await match(`return STANDARD_WEBHOOKS.verify('${secret}')`, headers)).toBe(true);
      expect(await match(`return STANDARD_WEBHOOKS.verify('${key.toString('base64')}')`, headers)).toBe(true);
      expect(
        await match(`return STANDARD_WEBHOOKS.verify('whsec_${randomBytes(24).toString('base64')}')`, headers),
      ).toBe(false);
    });

    it('accepts any signature of the list', async () => {
      const headers = signed(now(), randomBytes(24), key);
      expect(await match(`return STANDARD_WEBHOOKS.verify('${secret}')`, headers)).toBe(true);
    });

    it('honours the tolerance', async () => {
      const headers = signed(now() - 301, key);
      expect(
        await match(
          `return [STANDARD_WEBHOOKS.verify('${secret}'), STANDARD_WEBHOOKS.verify('${secret}', 600)]`,
          headers,
        ),
      ).toEqual([false, true]);
    });

    it('is false without its headers', async () => {
      expect(await match(`return STANDARD_WEBHOOKS.verify('${secret}')`, {})).toBe(false);
    });
  });

  it('uses provider properties as secrets, the usual way a match script is written', async () => {
    const properties = [{ name: 'WEBHOOK_SECRET', value: 'gh-secret', secret: true }];
    const headers = { 'x-hub-signature-256': `sha256=${hex('gh-secret', body)}`, 'x-github-event': 'push' };
    const outcome = await sandbox.run(
      'match',
      "return GITHUB.event === 'push' && GITHUB.verify(WEBHOOK_SECRET)",
      scriptInput({ headers, body, properties }),
    );
    expect(outcome).toMatchObject({ ok: true, matched: true });
  });
});
