import { createHmac, randomBytes } from 'node:crypto';
import { ScriptSandbox, type ScriptInput } from '@hookline/sandbox';
import { PROVIDER_TEMPLATES } from './provider-templates';

// Each template's match script runs in the real sandbox against a request signed here with
// node:crypto the way its sender documents it, over the raw body: the signed one matches, a
// wrongly signed or unsigned one does not (and neither is an error).
describe('provider template match scripts', () => {
  const sandbox = new ScriptSandbox();
  afterAll(() => sandbox.dispose());

  // Formatting a JSON serialiser would not reproduce: only the raw bytes verify.
  const body = Buffer.from('{ "event":"push",  "ref": "refs/heads/main", "note": "grüße" }\n');
  const form = Buffer.from('token=x&team_id=T1&command=%2Fdeploy&text=web+prod');
  const now = () => Math.floor(Date.now() / 1000);
  const mac = (algorithm: string, key: string | Buffer, ...parts: Array<string | Buffer>) => {
    const hmac = createHmac(algorithm, key);
    for (const part of parts) hmac.update(part);
    return hmac;
  };
  const hex = (key: string | Buffer, ...parts: Array<string | Buffer>) => mac('sha256', key, ...parts).digest('hex');
  const base64 = (key: string | Buffer, ...parts: Array<string | Buffer>) =>
    mac('sha256', key, ...parts).digest('base64');

  interface Request {
    headers?: Record<string, string>;
    query?: Record<string, string | string[]>;
    body?: Buffer;
  }

  interface Case {
    /** Property values, by name; the template says which are secret. */
    properties: Record<string, string>;
    signed: Request;
    /** Wrongly signed, stale, or not signed at all. */
    refused: Request[];
  }

  const standardKey = randomBytes(24);
  const standardSecret = `whsec_${standardKey.toString('base64')}`;
  const standard = (key: Buffer, timestamp = now()) => ({
    'webhook-id': 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${base64(key, `msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.${timestamp}.`, body)}`,
  });
  const slack = (secret: string, timestamp = now()) => ({
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': `v0=${hex(secret, `v0:${timestamp}:`, form)}`,
  });
  const stripe = (secret: string, timestamp = now()) => ({
    'stripe-signature': `t=${timestamp},v1=${hex(secret, `${timestamp}.`, body)}`,
  });
  const basic = (user: string, password: string) => ({
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
  });

  const cases: Record<string, Case> = {
    github: {
      properties: { WEBHOOK_SECRET: 'gh-secret' },
      signed: {
        headers: {
          'x-github-event': 'push',
          'x-hub-signature': `sha1=${mac('sha1', 'gh-secret', body).digest('hex')}`,
          'x-hub-signature-256': `sha256=${hex('gh-secret', body)}`,
        },
      },
      refused: [
        { headers: { 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${hex('other', body)}` } },
        { headers: { 'x-github-event': 'push' } },
      ],
    },
    gitlab: {
      properties: { WEBHOOK_TOKEN: 'gl-token' },
      signed: { headers: { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': 'gl-token' } },
      refused: [{ headers: { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': 'gl-token2' } }, { headers: {} }],
    },
    'bitbucket-cloud': {
      properties: { WEBHOOK_SECRET: 'bb-secret' },
      signed: {
        headers: {
          'x-event-key': 'repo:push',
          'x-hook-uuid': '{5f0b1d2e-8b3c-4a0e-9c2f-1d2e3f4a5b6c}',
          'x-hub-signature': `sha256=${hex('bb-secret', body)}`,
        },
      },
      refused: [
        { headers: { 'x-event-key': 'repo:push', 'x-hub-signature': `sha256=${hex('other', body)}` } },
        { headers: { 'x-hub-signature': `sha256=${hex('bb-secret', body)}` } },
      ],
    },
    'bitbucket-server': {
      properties: { WEBHOOK_SECRET: 'bbs-secret' },
      signed: {
        headers: {
          'x-event-key': 'repo:refs_changed',
          'x-request-id': 'b6c9a4d6-7b0e-4f43-9a8e-ff4b2f0d6c11',
          'x-hub-signature': `sha256=${hex('bbs-secret', body)}`,
        },
      },
      refused: [
        { headers: { 'x-event-key': 'repo:refs_changed', 'x-hub-signature': `sha256=${hex('bb-secret', body)}` } },
        { headers: { 'x-event-key': 'repo:refs_changed' } },
      ],
    },
    'azure-devops': {
      properties: { HOOK_USER: 'hooks', HOOK_PASSWORD: 'p@ss:word' },
      signed: { headers: basic('hooks', 'p@ss:word') },
      refused: [{ headers: basic('hooks', 'p@ss') }, { headers: basic('other', 'p@ss:word') }, { headers: {} }],
    },
    jira: {
      properties: { WEBHOOK_SECRET: 'jira-secret' },
      signed: {
        headers: {
          'x-atlassian-webhook-identifier': '12345',
          'x-hub-signature': `sha256=${hex('jira-secret', body)}`,
        },
      },
      refused: [
        { headers: { 'x-hub-signature': `sha256=${hex('other', body)}` } },
        { headers: { 'x-hub-signature': `sha1=${mac('sha1', 'jira-secret', body).digest('hex')}` } },
        { headers: {} },
      ],
    },
    slack: {
      properties: { SLACK_SIGNING_SECRET: 'slack-secret' },
      signed: { headers: slack('slack-secret'), body: form },
      refused: [
        { headers: slack('other'), body: form },
        { headers: slack('slack-secret', now() - 600), body: form },
        { headers: {}, body: form },
      ],
    },
    stripe: {
      properties: { STRIPE_WEBHOOK_SECRET: 'whsec_stripe' },
      signed: { headers: stripe('whsec_stripe') },
      refused: [{ headers: stripe('whsec_other') }, { headers: stripe('whsec_stripe', now() - 600) }, { headers: {} }],
    },
    shopify: {
      properties: { SHOPIFY_WEBHOOK_SECRET: 'shpss_secret' },
      signed: {
        headers: { 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': base64('shpss_secret', body) },
      },
      refused: [{ headers: { 'x-shopify-hmac-sha256': base64('other', body) } }, { headers: {} }],
    },
    'standard-webhooks': {
      properties: { WEBHOOK_SECRET: standardSecret },
      signed: { headers: standard(standardKey) },
      refused: [{ headers: standard(randomBytes(24)) }, { headers: standard(standardKey, now() - 600) }],
    },
    hmac: {
      properties: {
        SIGNATURE_HEADER: 'X-Signature',
        WEBHOOK_SECRET: 'hmac-secret',
        HMAC_ALGORITHM: 'sha512',
        SIGNATURE_PREFIX: 'sha512=',
      },
      signed: {
        headers: { 'x-signature': `sha512=${mac('sha512', 'hmac-secret', body).digest('hex').toUpperCase()}` },
      },
      refused: [
        { headers: { 'x-signature': `sha512=${mac('sha512', 'other', body).digest('hex')}` } },
        { headers: { 'x-signature': mac('sha512', 'hmac-secret', body).digest('hex') } },
        { headers: { 'x-signature': `sha512=${mac('sha256', 'hmac-secret', body).digest('hex')}` } },
        { headers: {} },
      ],
    },
    token: {
      properties: { TOKEN: 't0ken', TOKEN_HEADER: 'X-Webhook-Token' },
      signed: { headers: { 'x-webhook-token': 't0ken' } },
      refused: [{ headers: { 'x-webhook-token': 't0ken!' } }, { query: { token: 't0ken' } }, { headers: {} }],
    },
  };

  const run = (templateId: string, properties: Record<string, string>, request: Request) => {
    const template = PROVIDER_TEMPLATES.find((t) => t.id === templateId)!;
    const input: ScriptInput = {
      messageId: 'msg-1',
      method: 'POST',
      uri: 'hooks/in',
      query: request.query ?? {},
      headers: { 'content-type': 'application/json', ...request.headers },
      remoteAddr: '203.0.113.7',
      body: request.body ?? body,
      properties: Object.entries(properties).map(([name, value]) => ({
        name,
        value,
        secret: template.properties.find((p) => p.name === name)?.secret ?? false,
      })),
    };
    return sandbox.run('match', template.matchScript, input);
  };

  it('covers every template', () => {
    expect(Object.keys(cases).sort()).toEqual(PROVIDER_TEMPLATES.map((t) => t.id).sort());
  });

  describe.each(PROVIDER_TEMPLATES.map((template) => [template.id]))('%s', (id) => {
    const { properties, signed, refused } = cases[id];

    it('matches a request signed the way the sender signs it', async () => {
      expect(await run(id, properties, signed)).toMatchObject({ ok: true, matched: true, error: null });
    });

    it.each(refused.map((request, i) => [i + 1, request]))('does not match bad request %i', async (_, request) => {
      expect(await run(id, properties, request as Request)).toMatchObject({ ok: true, matched: false, error: null });
    });

    it('sends every required property, and they are enough', () => {
      const template = PROVIDER_TEMPLATES.find((t) => t.id === id)!;
      const required = template.properties.filter((p) => p.required).map((p) => p.name);
      expect(Object.keys(properties)).toEqual(expect.arrayContaining(required));
    });
  });

  describe('generic HMAC with its defaults and base64', () => {
    it('defaults to a bare hex HMAC-SHA256', async () => {
      const properties = { SIGNATURE_HEADER: 'X-Sig', WEBHOOK_SECRET: 's' };
      expect(await run('hmac', properties, { headers: { 'x-sig': hex('s', body) } })).toMatchObject({
        matched: true,
      });
    });

    it('reads base64 signatures', async () => {
      const properties = { SIGNATURE_HEADER: 'X-Sig', WEBHOOK_SECRET: 's', SIGNATURE_ENCODING: 'base64' };
      expect(await run('hmac', properties, { headers: { 'x-sig': base64('s', body) } })).toMatchObject({
        matched: true,
      });
      expect(await run('hmac', properties, { headers: { 'x-sig': hex('s', body) } })).toMatchObject({
        matched: false,
      });
    });

    it('fails with a clear error for an unknown algorithm', async () => {
      const properties = { SIGNATURE_HEADER: 'X-Sig', WEBHOOK_SECRET: 'hmac-secret', HMAC_ALGORITHM: 'md5' };
      const outcome = await run('hmac', properties, { headers: { 'x-sig': 'x' } });
      expect(outcome).toMatchObject({ ok: false, matched: false });
      expect(outcome.error?.message).toBe('HMAC_ALGORITHM must be sha1, sha256 or sha512');
    });
  });

  describe('generic token in a query parameter or a bearer header', () => {
    it('reads the query parameter', async () => {
      const properties = { TOKEN: 't0ken', TOKEN_PARAM: 'token' };
      expect(await run('token', properties, { query: { token: 't0ken' } })).toMatchObject({ matched: true });
      expect(await run('token', properties, { query: { token: 'nope' } })).toMatchObject({ matched: false });
      expect(await run('token', properties, { query: { token: ['t0ken', 't0ken'] } })).toMatchObject({
        matched: false,
      });
      expect(await run('token', properties, { headers: { token: 't0ken' } })).toMatchObject({ matched: false });
    });

    it('takes "Bearer <token>" in Authorization', async () => {
      const properties = { TOKEN: 't0ken', TOKEN_HEADER: 'Authorization' };
      expect(await run('token', properties, { headers: { authorization: 'Bearer t0ken' } })).toMatchObject({
        matched: true,
      });
      expect(await run('token', properties, { headers: { authorization: 't0ken' } })).toMatchObject({
        matched: true,
      });
      expect(await run('token', properties, { headers: { authorization: 'Bearer other' } })).toMatchObject({
        matched: false,
      });
    });

    it('fails with a clear error when neither TOKEN_HEADER nor TOKEN_PARAM is set', async () => {
      const outcome = await run('token', { TOKEN: 't0ken' }, { headers: { 'x-webhook-token': 't0ken' } });
      expect(outcome).toMatchObject({ ok: false, matched: false });
      expect(outcome.error?.message).toBe('set the property TOKEN_HEADER or TOKEN_PARAM');
    });
  });
});
