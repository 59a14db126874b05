import { SecretCipher } from '@hookline/secrets';
import { createAdminTestApp, START_TIMEOUT_MS, type AdminTestApp } from '../testing/admin-test-app';
import { PROVIDER_TEMPLATES } from './provider-templates';

describe('provider templates API', () => {
  let t: AdminTestApp;

  beforeAll(async () => {
    t = await createAdminTestApp();
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await t.close();
  });

  const create = (payload: object) => t.request({ method: 'POST', url: '/api/v1/providers', payload });
  const github = PROVIDER_TEMPLATES.find((template) => template.id === 'github')!;

  it('lists every template with its match script and properties', async () => {
    const response = await t.request({ method: 'GET', url: '/api/v1/provider-templates' });

    expect(response.statusCode).toBe(200);
    const templates = response.json();
    expect(templates.map((template: { id: string }) => template.id)).toEqual([
      'github',
      'gitlab',
      'bitbucket-cloud',
      'bitbucket-server',
      'azure-devops',
      'jira',
      'slack',
      'stripe',
      'shopify',
      'standard-webhooks',
      'hmac',
      'token',
    ]);
    expect(templates[0]).toEqual({
      id: 'github',
      name: 'GitHub',
      description: expect.any(String),
      matchScript: github.matchScript,
      properties: [{ name: 'WEBHOOK_SECRET', secret: true, description: expect.any(String), required: true }],
    });
  });

  it('gets one template, or 404', async () => {
    const found = await t.request({ method: 'GET', url: '/api/v1/provider-templates/github' });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual(github);

    const missing = await t.request({ method: 'GET', url: '/api/v1/provider-templates/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'not_found', message: "provider template 'nope' not found" });
  });

  it('needs the admin token', async () => {
    const response = await t.request({
      method: 'GET',
      url: '/api/v1/provider-templates',
      headers: { authorization: undefined },
    });
    expect(response.statusCode).toBe(401);
  });

  it('creates a provider from a template: its name, its match script, its secrets stored encrypted', async () => {
    // `secret` left out: the template says WEBHOOK_SECRET is one.
    const response = await create({ template: 'github', properties: [{ name: 'WEBHOOK_SECRET', value: 'gh-secret' }] });

    expect(response.statusCode).toBe(201);
    const provider = response.json();
    expect(provider).toMatchObject({
      name: 'GitHub',
      description: null,
      active: true,
      matchScript: github.matchScript,
      properties: [{ name: 'WEBHOOK_SECRET', value: '****', secret: true }],
    });
    const [row] = await t.db.query(`SELECT properties FROM providers WHERE id = $1`, [provider.id]);
    expect(row.properties[0].value).toMatch(/^enc:v1:/);
    expect(t.app.get(SecretCipher).decrypt(row.properties[0].value)).toBe('gh-secret');
  });

  it('takes a name, other fields and extra properties besides the template', async () => {
    const response = await create({
      template: 'hmac',
      name: 'Billing',
      description: 'signed by the billing service',
      active: false,
      properties: [
        { name: 'SIGNATURE_HEADER', value: 'X-Billing-Signature' },
        { name: 'WEBHOOK_SECRET', value: 'b1ll', secret: true },
        { name: 'team', value: 'finance' },
      ],
    });

    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      name: 'Billing',
      description: 'signed by the billing service',
      active: false,
      properties: [
        { name: 'SIGNATURE_HEADER', value: 'X-Billing-Signature', secret: false },
        { name: 'WEBHOOK_SECRET', value: '****', secret: true },
        { name: 'team', value: 'finance', secret: false },
      ],
    });
  });

  it('refuses an unknown template, naming the field', async () => {
    const response = await create({ template: 'github2', properties: [] });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'validation_failed',
      field: 'template',
      message: expect.stringMatching(/^unknown template 'github2'; the templates are github, gitlab, /),
    });
  });

  it('refuses a template without a required property, naming it', async () => {
    const response = await create({ template: 'azure-devops', properties: [{ name: 'HOOK_USER', value: 'hooks' }] });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'validation_failed',
      field: 'properties',
      message: expect.stringMatching(/^template 'azure-devops' needs property 'HOOK_PASSWORD': /),
    });
    expect((await create({ template: 'slack' })).json()).toMatchObject({
      field: 'properties',
      message: expect.stringContaining("'SLACK_SIGNING_SECRET'"),
    });
  });

  it('refuses a required property with an empty value', async () => {
    const response = await create({ template: 'stripe', properties: [{ name: 'STRIPE_WEBHOOK_SECRET', value: '' }] });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'validation_failed', field: 'properties[0].value' });
  });

  it('refuses a match script besides a template', async () => {
    const response = await create({
      template: 'gitlab',
      matchScript: 'return true',
      properties: [{ name: 'WEBHOOK_TOKEN', value: 'x' }],
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'validation_failed', field: 'matchScript' });
  });

  it('still validates the name sent with a template', async () => {
    const response = await create({
      template: 'gitlab',
      name: '  ',
      properties: [{ name: 'WEBHOOK_TOKEN', value: 'x' }],
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'validation_failed', field: 'name', message: 'name must not be blank' });
  });

  it('answers 409 for a second provider under the template name', async () => {
    const body = { template: 'shopify', properties: [{ name: 'SHOPIFY_WEBHOOK_SECRET', value: 'x' }] };
    expect((await create(body)).statusCode).toBe(201);

    const again = await create(body);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'name_taken', field: 'name' });
  });
});
