import { v7 as uuidv7 } from 'uuid';
import { SecretCipher } from '@hookline/secrets';
import { createAdminTestApp, START_TIMEOUT_MS, type AdminTestApp } from '../testing/admin-test-app';

const MATCH = 'return HEADERS["x-source"] === "git";';

describe('providers API', () => {
  let t: AdminTestApp;
  let seq = 0;
  const uniqueName = (base = 'provider') => `${base}-${++seq}`;

  const create = (body: object) => t.request({ method: 'POST', url: '/api/v1/providers', payload: body });
  const createOk = async (body: object = {}) => {
    const response = await create({ name: uniqueName(), matchScript: MATCH, ...body });
    expect(response.statusCode).toBe(201);
    return response.json();
  };

  beforeAll(async () => {
    t = await createAdminTestApp();
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await t.close();
  });

  it('creates a provider with an app-generated UUIDv7 and defaults', async () => {
    const response = await create({ name: 'github', matchScript: MATCH });

    expect(response.statusCode).toBe(201);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const provider = response.json();
    expect(provider).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      name: 'github',
      description: null,
      active: true,
      sequence: expect.any(Number),
      matchScript: MATCH,
      properties: [],
      dedupHeader: null,
      dedupWindowSeconds: null,
      rateLimit: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const [stored] = await t.db.query(`SELECT name, active, match_script FROM providers WHERE id = $1`, [provider.id]);
    expect(stored).toEqual({ name: 'github', active: true, match_script: MATCH });
  });

  it('creates a provider with null for the fields that may be null', async () => {
    const provider = await createOk({
      description: null,
      dedupHeader: null,
      dedupWindowSeconds: null,
      rateLimit: null,
    });

    expect(provider).toMatchObject({ description: null, dedupHeader: null, dedupWindowSeconds: null, rateLimit: null });
  });

  it('puts a new provider last', async () => {
    const first = await createOk();
    const second = await createOk();

    expect(second.sequence).toBe(first.sequence + 1);
    const list = (await t.request({ method: 'GET', url: '/api/v1/providers' })).json();
    expect(list[list.length - 1].id).toBe(second.id);
  });

  it('lists providers in sequence order', async () => {
    await createOk();
    const response = await t.request({ method: 'GET', url: '/api/v1/providers' });

    expect(response.statusCode).toBe(200);
    const sequences = response.json().map((p: { sequence: number }) => p.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
  });

  it('gets, updates and deletes a provider', async () => {
    const provider = await createOk({ description: 'first' });

    const got = await t.request({ method: 'GET', url: `/api/v1/providers/${provider.id}` });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(provider);

    const patched = await t.request({
      method: 'PATCH',
      url: `/api/v1/providers/${provider.id}`,
      payload: { description: 'second', active: false },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      id: provider.id,
      name: provider.name,
      description: 'second',
      active: false,
    });

    const cleared = await t.request({
      method: 'PATCH',
      url: `/api/v1/providers/${provider.id}`,
      payload: { description: null },
    });
    expect(cleared.json().description).toBeNull();

    const deleted = await t.request({ method: 'DELETE', url: `/api/v1/providers/${provider.id}` });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');

    const gone = await t.request({ method: 'GET', url: `/api/v1/providers/${provider.id}` });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toEqual({ error: 'not_found', message: `provider '${provider.id}' not found` });
  });

  it('deletes the functions of a deleted provider', async () => {
    const provider = await createOk();
    const fn = await t.request({
      method: 'POST',
      url: '/api/v1/functions',
      payload: { name: 'deploy', providerId: provider.id, uri: 'git/push', script: 'return 1;' },
    });
    expect(fn.statusCode).toBe(201);

    await t.request({ method: 'DELETE', url: `/api/v1/providers/${provider.id}` });

    expect((await t.request({ method: 'GET', url: `/api/v1/functions/${fn.json().id}` })).statusCode).toBe(404);
  });

  it('answers 404 for unknown and malformed ids', async () => {
    for (const id of [uuidv7(), 'not-a-uuid']) {
      for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
        const response = await t.request({
          method,
          url: `/api/v1/providers/${id}`,
          payload: method === 'PATCH' ? {} : undefined,
        });
        expect({ method, id, status: response.statusCode, error: response.json().error }).toEqual({
          method,
          id,
          status: 404,
          error: 'not_found',
        });
      }
    }
  });

  it('refuses a second provider with the same name', async () => {
    const name = uniqueName('taken');
    await createOk({ name });

    const duplicate = await create({ name, matchScript: MATCH });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toEqual({
      error: 'name_taken',
      message: `a provider named '${name}' already exists`,
      field: 'name',
    });

    const other = await createOk();
    const renamed = await t.request({ method: 'PATCH', url: `/api/v1/providers/${other.id}`, payload: { name } });
    expect(renamed.statusCode).toBe(409);
    expect(renamed.json().error).toBe('name_taken');
  });

  describe('order', () => {
    const allIds = async (): Promise<string[]> =>
      (await t.request({ method: 'GET', url: '/api/v1/providers' })).json().map((p: { id: string }) => p.id);

    it('sets the evaluation order', async () => {
      await createOk();
      await createOk();
      const reversed = (await allIds()).reverse();

      const response = await t.request({ method: 'PUT', url: '/api/v1/providers/order', payload: { ids: reversed } });

      expect(response.statusCode).toBe(200);
      expect(response.json().map((p: { id: string }) => p.id)).toEqual(reversed);
      expect(response.json().map((p: { sequence: number }) => p.sequence)).toEqual(reversed.map((_, i) => i + 1));
      expect(await allIds()).toEqual(reversed);
      // A provider created afterwards still goes last.
      const newest = await createOk();
      expect((await allIds()).at(-1)).toBe(newest.id);
    });

    it.each([
      ['one missing', (ids: string[]) => ids.slice(1), /missing: /],
      ['one unknown', (ids: string[]) => [...ids, uuidv7()], /unknown: /],
      ['one twice', (ids: string[]) => [...ids, ids[0]], /more than once/],
      ['none', () => [], /missing: /],
    ])('refuses an id list with %s', async (_case, change, message) => {
      const before = await allIds();

      const response = await t.request({
        method: 'PUT',
        url: '/api/v1/providers/order',
        payload: { ids: change(before) },
      });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        error: 'validation_failed',
        field: 'ids',
        message: expect.stringMatching(message),
      });
      expect(await allIds()).toEqual(before);
    });

    it('refuses ids that are not UUIDs', async () => {
      const response = await t.request({ method: 'PUT', url: '/api/v1/providers/order', payload: { ids: ['x'] } });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: 'validation_failed', field: 'ids' });
    });
  });

  describe('properties', () => {
    const properties = [
      { name: 'apiKey', value: 's3cret', secret: true },
      { name: 'team', value: 'platform' },
    ];

    const storedProperties = async (id: string): Promise<Array<{ name: string; value: string; secret: boolean }>> =>
      (await t.db.query(`SELECT properties FROM providers WHERE id = $1`, [id]))[0].properties;
    const decrypt = (value: string) => t.app.get(SecretCipher).decrypt(value);

    it('masks secret values in every response and stores them encrypted', async () => {
      const created = await createOk({ properties });

      const masked = [
        { name: 'apiKey', value: '****', secret: true },
        { name: 'team', value: 'platform', secret: false },
      ];
      expect(created.properties).toEqual(masked);
      expect((await t.request({ method: 'GET', url: `/api/v1/providers/${created.id}` })).json().properties).toEqual(
        masked,
      );
      const listed = (await t.request({ method: 'GET', url: '/api/v1/providers' })).json();
      expect(listed.find((p: { id: string }) => p.id === created.id).properties).toEqual(masked);
      const [apiKey, team] = await storedProperties(created.id);
      expect(apiKey).toEqual({ name: 'apiKey', value: expect.stringMatching(/^enc:v1:test:/), secret: true });
      expect(apiKey.value).not.toContain('s3cret');
      expect(decrypt(apiKey.value)).toBe('s3cret');
      expect(team).toEqual({ name: 'team', value: 'platform', secret: false });
    });

    it('keeps a stored secret when a PATCH sends "****" back', async () => {
      const created = await createOk({ properties });
      const [before] = await storedProperties(created.id);

      const patched = await t.request({
        method: 'PATCH',
        url: `/api/v1/providers/${created.id}`,
        payload: { properties: [...created.properties, { name: 'token', value: 'new-secret', secret: true }] },
      });

      expect(patched.statusCode).toBe(200);
      expect(patched.json().properties).toEqual([
        { name: 'apiKey', value: '****', secret: true },
        { name: 'team', value: 'platform', secret: false },
        { name: 'token', value: '****', secret: true },
      ]);
      const [apiKey, team, token] = await storedProperties(created.id);
      // The very same ciphertext: nothing was decrypted and encrypted again.
      expect(apiKey.value).toBe(before.value);
      expect(team.value).toBe('platform');
      expect(decrypt(token.value)).toBe('new-secret');
    });

    it('replaces a secret sent with a new value', async () => {
      const created = await createOk({ properties });

      await t.request({
        method: 'PATCH',
        url: `/api/v1/providers/${created.id}`,
        payload: { properties: [{ name: 'apiKey', value: 'rotated', secret: true }] },
      });

      const [apiKey, ...others] = await storedProperties(created.id);
      expect(others).toEqual([]);
      expect(decrypt(apiKey.value)).toBe('rotated');
    });

    it('refuses "****" for a secret that has no stored value', async () => {
      const created = await createOk({ properties });

      const response = await t.request({
        method: 'PATCH',
        url: `/api/v1/providers/${created.id}`,
        payload: { properties: [{ name: 'renamedKey', value: '****', secret: true }] },
      });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: 'validation_failed', field: 'properties[0].value' });
    });

    it.each([
      [[{ name: '1st', value: 'x' }], 'properties[0].name', /JavaScript identifier/],
      [[{ name: 'class', value: 'x' }], 'properties[0].name', /JavaScript identifier/],
      [
        [
          { name: 'a', value: 'x' },
          { name: 'a', value: 'y' },
        ],
        'properties[1].name',
        /more than once/,
      ],
      [[{ name: 'a' }], 'properties[0].value', /properties\[0\]\.value is required/],
      [[{ name: 'a', value: 'x', secret: 'yes' }], 'properties[0].secret', /boolean/],
      [[{ name: 'a', value: 'x', extra: 1 }], 'properties[0].extra', /should not exist/],
      ['a', 'properties', /array/],
    ])('refuses properties %j', async (props, field, message) => {
      const response = await create({ name: uniqueName(), matchScript: MATCH, properties: props });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: 'validation_failed', field, message: expect.stringMatching(message) });
    });
  });

  describe('validation', () => {
    it.each([
      [{ matchScript: MATCH }, 'name', 'name is required'],
      [{ name: '  ', matchScript: MATCH }, 'name', 'name must not be blank'],
      [{ name: 7, matchScript: MATCH }, 'name', 'name must be a string'],
      [{ name: 'x' }, 'matchScript', 'matchScript is required'],
      [{ name: 'x', matchScript: '' }, 'matchScript', 'matchScript must not be blank'],
      [{ name: 'x', matchScript: MATCH, active: 'yes' }, 'active', 'active must be a boolean value'],
      [{ name: 'x', matchScript: MATCH, active: null }, 'active', 'active must be a boolean value'],
      [{ name: 'x', matchScript: MATCH, sequence: 3 }, 'sequence', 'property sequence should not exist'],
      [{ name: null, matchScript: MATCH }, 'name', 'name must not be null'],
      [{ name: 'x', matchScript: null }, 'matchScript', 'matchScript must not be null'],
      [{ name: 'x', matchScript: MATCH, properties: null }, 'properties', 'properties must be an array'],
      [{ name: 'x', matchScript: MATCH, template: null }, 'template', 'template must be a string'],
      [{ name: 'n'.repeat(201), matchScript: MATCH }, 'name', 'name must be shorter than or equal to 200 characters'],
    ])('refuses %j', async (body, field, message) => {
      const response = await create(body);

      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: 'validation_failed', field, message });
    });

    it('refuses a body that is not an object', async () => {
      const response = await create([{ name: 'x', matchScript: MATCH }]);

      expect(response.statusCode).toBe(400);
      expect(response.json().error).toBe('validation_failed');
    });

    it('refuses a body that is not JSON, in the same error shape', async () => {
      const response = await t.request({
        method: 'POST',
        url: '/api/v1/providers',
        headers: { 'content-type': 'application/json' },
        payload: '{"name": ',
      });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: 'invalid_request', message: expect.stringContaining('JSON') });
    });

    it('answers a match script with a syntax error with its line and column', async () => {
      const response = await create({ name: uniqueName(), matchScript: 'const a = 1;\nreturn a ==;\n' });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        error: 'script_syntax_error',
        field: 'matchScript',
        line: 2,
        column: 12,
        message: 'matchScript has a syntax error at line 2, column 12: Unexpected token',
      });
    });

    it('checks the match script of a PATCH too, and changes nothing', async () => {
      const provider = await createOk();

      const response = await t.request({
        method: 'PATCH',
        url: `/api/v1/providers/${provider.id}`,
        payload: { matchScript: 'return (', description: 'changed' },
      });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: 'script_syntax_error', field: 'matchScript', line: 1, column: 9 });
      expect((await t.request({ method: 'GET', url: `/api/v1/providers/${provider.id}` })).json()).toEqual(provider);
    });
  });

  describe('PATCH', () => {
    const patch = (id: string, body: object) =>
      t.request({ method: 'PATCH', url: `/api/v1/providers/${id}`, payload: body });

    it.each([
      [{}, {}],
      [{ description: null }, { description: null }],
      [{ dedupHeader: null }, { dedupHeader: null, dedupWindowSeconds: null }],
      [{ dedupWindowSeconds: null }, { dedupWindowSeconds: 86400 }],
      [{ rateLimit: null }, { rateLimit: null }],
      [{ properties: [] }, { properties: [] }],
    ])('accepts %j: fields left out keep their value, null clears what may be cleared', async (body, changed) => {
      const provider = await createOk({
        description: 'kept',
        dedupHeader: 'X-Delivery',
        dedupWindowSeconds: 60,
        rateLimit: { perSecond: 5, burst: 10 },
        properties: [{ name: 'a', value: 'x' }],
      });

      const response = await patch(provider.id, body);

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ ...provider, ...changed, updatedAt: expect.any(String) });
    });

    it('trims a new name', async () => {
      const provider = await createOk();
      const name = uniqueName('renamed');

      const response = await patch(provider.id, { name: `  ${name} ` });

      expect(response.json()).toMatchObject({ id: provider.id, name });
    });

    it.each([
      [{ name: null }, 'name', 'name must not be null'],
      [{ name: ' ' }, 'name', 'name must not be blank'],
      [{ name: 'n'.repeat(201) }, 'name', 'name must be shorter than or equal to 200 characters'],
      [
        { description: 'd'.repeat(2001) },
        'description',
        'description must be shorter than or equal to 2000 characters',
      ],
      [{ active: null }, 'active', 'active must be a boolean value'],
      [{ matchScript: null }, 'matchScript', 'matchScript must not be null'],
      [{ matchScript: '' }, 'matchScript', 'matchScript must not be blank'],
      [{ properties: null }, 'properties', 'properties must be an array'],
      [{ dedupHeader: 'X Delivery' }, 'dedupHeader', 'dedupHeader must be an HTTP header name, like X-GitHub-Delivery'],
      [{ dedupWindowSeconds: 0 }, 'dedupWindowSeconds', 'dedupWindowSeconds must not be less than 1'],
      [{ rateLimit: { perSecond: 5 } }, 'rateLimit.burst', 'rateLimit.burst is required'],
      [{ template: 'github' }, 'template', 'property template should not exist'],
      [{ sequence: 1 }, 'sequence', 'property sequence should not exist'],
    ])('refuses %j and changes nothing', async (body, field, message) => {
      const provider = await createOk();

      const response = await patch(provider.id, body);

      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: 'validation_failed', field, message });
      expect((await t.request({ method: 'GET', url: `/api/v1/providers/${provider.id}` })).json()).toEqual(provider);
    });
  });

  it('bumps the configuration revision with every change', async () => {
    const before = await t.config.revision();
    const provider = await createOk();
    const afterCreate = await t.config.revision();
    await t.request({ method: 'PATCH', url: `/api/v1/providers/${provider.id}`, payload: { active: false } });
    const afterUpdate = await t.config.revision();
    const ids = (await t.request({ method: 'GET', url: '/api/v1/providers' })).json().map((p: { id: string }) => p.id);
    await t.request({ method: 'PUT', url: '/api/v1/providers/order', payload: { ids } });
    const afterReorder = await t.config.revision();
    await t.request({ method: 'DELETE', url: `/api/v1/providers/${provider.id}` });
    const afterDelete = await t.config.revision();

    expect([afterCreate, afterUpdate, afterReorder, afterDelete]).toEqual([
      before + 1,
      before + 2,
      before + 3,
      before + 4,
    ]);
  });

  it('leaves the revision alone when a change is refused or changes nothing', async () => {
    const provider = await createOk();
    const before = await t.config.revision();

    await t.request({ method: 'PATCH', url: `/api/v1/providers/${uuidv7()}`, payload: { active: false } });
    await create({ name: 'x', matchScript: 'return (' });
    const empty = await t.request({ method: 'PATCH', url: `/api/v1/providers/${provider.id}`, payload: {} });

    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual(provider);
    expect(await t.config.revision()).toBe(before);
  });
});
