import { v7 as uuidv7 } from 'uuid';
import { createAdminTestApp, START_TIMEOUT_MS, type AdminTestApp } from '../testing/admin-test-app';

const SCRIPT = 'const body = JSON.parse(BODY);\nreturn body.ref;';

describe('functions API', () => {
  let t: AdminTestApp;
  let providerId: string;
  let otherProviderId: string;

  const create = (body: object) => t.request({ method: 'POST', url: '/api/v1/functions', payload: body });
  const createOk = async (body: object = {}) => {
    const response = await create({ name: 'deploy', providerId, uri: 'git/push', script: SCRIPT, ...body });
    expect(response.statusCode).toBe(201);
    return response.json();
  };
  const createProvider = async (name: string): Promise<string> =>
    (
      await t.request({ method: 'POST', url: '/api/v1/providers', payload: { name, matchScript: 'return true;' } })
    ).json().id;

  beforeAll(async () => {
    t = await createAdminTestApp();
    providerId = await createProvider('github');
    otherProviderId = await createProvider('gitlab');
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await t.close();
  });

  it('creates a function with an app-generated UUIDv7 and defaults', async () => {
    const response = await create({ name: 'deploy', providerId, uri: 'git/push', script: SCRIPT });

    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7/),
      name: 'deploy',
      description: null,
      providerId,
      uri: 'git/push',
      active: true,
      script: SCRIPT,
      retry: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it.each([
    ['/git/push/', 'git/push'],
    ['//git/push', 'git/push'],
    ['git/push///', 'git/push'],
    ['a', 'a'],
  ])('stores the URI %j as %j', async (uri, stored) => {
    const fn = await createOk({ uri });

    expect(fn.uri).toBe(stored);
    const [row] = await t.db.query(`SELECT uri FROM functions WHERE id = $1`, [fn.id]);
    expect(row.uri).toBe(stored);
  });

  it.each([
    ['/', /must not be empty/],
    ['', /must not be empty/],
    ['git/push?x=1', /must not contain "\?"/],
    [5, /must be a string/],
  ])('refuses the URI %j', async (uri, message) => {
    const response = await create({ name: 'deploy', providerId, uri, script: SCRIPT });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'validation_failed',
      field: 'uri',
      message: expect.stringMatching(message),
    });
  });

  it('refuses a provider that does not exist, naming providerId', async () => {
    const missing = uuidv7();
    const response = await create({ name: 'deploy', providerId: missing, uri: 'x', script: SCRIPT });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'validation_failed',
      field: 'providerId',
      message: `provider '${missing}' does not exist`,
    });
  });

  it('refuses a providerId that is not a UUID', async () => {
    const response = await create({ name: 'deploy', providerId: 'github', uri: 'x', script: SCRIPT });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'validation_failed', field: 'providerId' });
  });

  it.each([
    [{ providerId: 'P', uri: 'x', script: SCRIPT }, 'name', 'name is required'],
    [{ name: 'x', providerId: 'P', uri: 'x' }, 'script', 'script is required'],
    [{ name: 'x', providerId: 'P', uri: 'x', script: ' ' }, 'script', 'script must not be blank'],
    [{ name: 'x', providerId: 'P', script: SCRIPT }, 'uri', 'uri is required'],
    [{ name: 'x', uri: 'x', script: SCRIPT }, 'providerId', 'providerId is required'],
    [{ name: 'x', providerId: 'P', uri: 'x', script: SCRIPT, active: 1 }, 'active', 'active must be a boolean value'],
    [{ name: 'x', providerId: 'P', uri: 'x', script: SCRIPT, id: 'mine' }, 'id', 'property id should not exist'],
    [{ name: null, providerId: 'P', uri: 'x', script: SCRIPT }, 'name', 'name must not be null'],
    [{ name: 'x', providerId: 'P', uri: null, script: SCRIPT }, 'uri', 'uri must not be null'],
    [{ name: 'x', providerId: 'P', uri: 'x', script: null }, 'script', 'script must not be null'],
    [
      { name: 'x', providerId: 'P', uri: 'x', script: SCRIPT, active: null },
      'active',
      'active must be a boolean value',
    ],
  ])('refuses %j', async (body, field, message) => {
    const response = await create(JSON.parse(JSON.stringify(body).replace('"P"', JSON.stringify(providerId))));

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'validation_failed', field, message });
  });

  it('answers a script with a syntax error with its line and column', async () => {
    const response = await create({
      name: 'deploy',
      providerId,
      uri: 'x',
      script: 'const a = 1;\n\nif (a) {\n  return a +;\n}',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'script_syntax_error',
      field: 'script',
      line: 4,
      column: 13,
      message: 'script has a syntax error at line 4, column 13: Unexpected token',
    });
  });

  it('creates a function with null for the fields that may be null', async () => {
    const fn = await createOk({ description: null, retry: null });

    expect(fn).toMatchObject({ description: null, retry: null });
  });

  it('accepts top-level await and return, as in an async function body', async () => {
    await createOk({ script: 'const r = await fetch(URL);\nif (!r.ok) return false;\nreturn true;' });
  });

  it('gets, updates and deletes a function', async () => {
    const fn = await createOk();

    const got = await t.request({ method: 'GET', url: `/api/v1/functions/${fn.id}` });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(fn);

    const patched = await t.request({
      method: 'PATCH',
      url: `/api/v1/functions/${fn.id}`,
      payload: { name: 'deploy-prod', uri: '/deploy/prod/', active: false, description: 'prod' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      id: fn.id,
      name: 'deploy-prod',
      uri: 'deploy/prod',
      active: false,
      description: 'prod',
      script: SCRIPT,
      providerId,
    });

    const deleted = await t.request({ method: 'DELETE', url: `/api/v1/functions/${fn.id}` });
    expect(deleted.statusCode).toBe(204);
    expect((await t.request({ method: 'GET', url: `/api/v1/functions/${fn.id}` })).json()).toEqual({
      error: 'not_found',
      message: `function '${fn.id}' not found`,
    });
  });

  it('checks the script of a PATCH', async () => {
    const fn = await createOk();

    const response = await t.request({ method: 'PATCH', url: `/api/v1/functions/${fn.id}`, payload: { script: '}' } });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'script_syntax_error', field: 'script', line: 1, column: 1 });
  });

  it('cannot move a function to another provider', async () => {
    const fn = await createOk();

    const moved = await t.request({
      method: 'PATCH',
      url: `/api/v1/functions/${fn.id}`,
      payload: { providerId: otherProviderId, name: 'moved' },
    });
    expect(moved.statusCode).toBe(400);
    expect(moved.json()).toMatchObject({ error: 'validation_failed', field: 'providerId' });
    expect((await t.request({ method: 'GET', url: `/api/v1/functions/${fn.id}` })).json()).toEqual(fn);

    // Sending back the provider it has is not a change.
    const same = await t.request({
      method: 'PATCH',
      url: `/api/v1/functions/${fn.id}`,
      payload: { providerId, name: 'kept' },
    });
    expect(same.statusCode).toBe(200);
    expect(same.json()).toMatchObject({ providerId, name: 'kept' });
  });

  describe('PATCH', () => {
    const patch = (id: string, body: object) =>
      t.request({ method: 'PATCH', url: `/api/v1/functions/${id}`, payload: body });

    it.each([
      [{}, {}],
      [{ description: null }, { description: null }],
      [{ retry: null }, { retry: null }],
      [{ uri: '/deploy/' }, { uri: 'deploy' }],
      [{ name: ' renamed ' }, { name: 'renamed' }],
    ])('accepts %j: fields left out keep their value, null clears what may be cleared', async (body, changed) => {
      const fn = await createOk({ description: 'kept', retry: { maxAttempts: 3, backoffMs: 1000 } });

      const response = await patch(fn.id, body);

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ ...fn, ...changed, updatedAt: expect.any(String) });
    });

    it.each([
      [{ name: null }, 'name', 'name must not be null'],
      [{ name: 'n'.repeat(201) }, 'name', 'name must be shorter than or equal to 200 characters'],
      [
        { description: 'd'.repeat(2001) },
        'description',
        'description must be shorter than or equal to 2000 characters',
      ],
      [{ providerId: null }, 'providerId', 'providerId must be a string'],
      [{ uri: null }, 'uri', 'uri must not be null'],
      [{ uri: 'a?b' }, 'uri', 'uri must not contain "?": the query string is not part of a URI'],
      [{ active: null }, 'active', 'active must be a boolean value'],
      [{ script: null }, 'script', 'script must not be null'],
      [{ script: ' ' }, 'script', 'script must not be blank'],
      [
        { retry: { maxAttempts: 1, backoffMs: 1000 } },
        'retry.maxAttempts',
        'retry.maxAttempts must not be less than 2',
      ],
      [{ id: 'mine' }, 'id', 'property id should not exist'],
    ])('refuses %j and changes nothing', async (body, field, message) => {
      const fn = await createOk();

      const response = await patch(fn.id, body);

      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: 'validation_failed', field, message });
      expect((await t.request({ method: 'GET', url: `/api/v1/functions/${fn.id}` })).json()).toEqual(fn);
    });
  });

  it('answers 404 for unknown and malformed ids', async () => {
    for (const id of [uuidv7(), 'nope']) {
      for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
        const response = await t.request({
          method,
          url: `/api/v1/functions/${id}`,
          payload: method === 'PATCH' ? {} : undefined,
        });
        expect([method, id, response.statusCode, response.json().error]).toEqual([method, id, 404, 'not_found']);
      }
    }
  });

  it('lists functions, optionally of one provider', async () => {
    const mine = await createOk({ name: 'mine' });
    const theirs = await createOk({ name: 'theirs', providerId: otherProviderId });

    const all = (await t.request({ method: 'GET', url: '/api/v1/functions' })).json();
    expect(all.map((f: { id: string }) => f.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));

    const filtered = await t.request({ method: 'GET', url: `/api/v1/functions?providerId=${otherProviderId}` });
    expect(filtered.statusCode).toBe(200);
    expect(filtered.json().map((f: { id: string }) => f.id)).toEqual([theirs.id]);

    const bad = await t.request({ method: 'GET', url: '/api/v1/functions?providerId=github' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'validation_failed', field: 'providerId' });
  });

  it('bumps the configuration revision with every change, and not for a refused one', async () => {
    const before = await t.config.revision();
    const fn = await createOk();
    await t.request({ method: 'PATCH', url: `/api/v1/functions/${fn.id}`, payload: { active: false } });
    await t.request({ method: 'DELETE', url: `/api/v1/functions/${fn.id}` });
    expect(await t.config.revision()).toBe(before + 3);

    await create({ name: 'deploy', providerId: uuidv7(), uri: 'x', script: SCRIPT });
    expect(await t.config.revision()).toBe(before + 3);
  });
});
