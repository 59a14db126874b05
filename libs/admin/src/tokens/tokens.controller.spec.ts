import { createHash } from 'node:crypto';
import { seedMessage } from '../testing/admin-routes';
import { createAdminTestApp, START_TIMEOUT_MS, type AdminTestApp } from '../testing/admin-test-app';

describe('API tokens', () => {
  let t: AdminTestApp;

  const create = (payload: object) => t.request({ method: 'POST', url: '/api/v1/tokens', payload });
  const as = (secret: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    t.request({ method, url, payload, headers: { authorization: `Bearer ${secret}` } });

  beforeAll(async () => {
    t = await createAdminTestApp();
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await t.close();
  });

  it('shows the secret once, at creation, and stores only its SHA-256', async () => {
    const created = await create({ name: 'ci-deploy', role: 'operator' });

    expect(created.statusCode).toBe(201);
    const token = created.json();
    expect(token).toEqual({
      id: expect.any(String),
      name: 'ci-deploy',
      role: 'operator',
      details: false,
      createdBy: 'admin',
      createdAt: expect.any(String),
      lastUsedAt: null,
      secret: expect.stringMatching(/^hkl_[A-Za-z0-9_-]{43}$/),
    });
    const listed = await t.request({ method: 'GET', url: '/api/v1/tokens' });
    expect(listed.json()).toContainEqual({ ...token, secret: undefined });
    expect(listed.body).not.toContain(token.secret);
    const [row] = await t.db.query(`SELECT * FROM api_tokens WHERE id = $1`, [token.id]);
    expect(row.secret_sha256).toBe(createHash('sha256').update(token.secret).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token.secret);
    expect(JSON.stringify(row)).not.toContain(token.secret.slice(4));
  });

  it('authenticates with the secret, as the token, and notes when it was used', async () => {
    const { id, secret } = (await create({ name: 'reader', role: 'viewer' })).json();

    expect((await as(secret, 'GET', '/api/v1/providers')).statusCode).toBe(200);
    const listed = (await t.request({ method: 'GET', url: '/api/v1/tokens' })).json();
    expect(listed.find((token: { id: string }) => token.id === id).lastUsedAt).toEqual(expect.any(String));
  });

  it('stops a deleted token at once', async () => {
    const { id, secret } = (await create({ name: 'short-lived', role: 'admin' })).json();
    expect((await as(secret, 'GET', '/api/v1/tokens')).statusCode).toBe(200);

    const deleted = await t.request({ method: 'DELETE', url: `/api/v1/tokens/${id}` });

    expect(deleted.statusCode).toBe(204);
    const after = await as(secret, 'GET', '/api/v1/tokens');
    expect(after.statusCode).toBe(401);
    expect(after.json()).toEqual({ error: 'unauthorized', message: 'the admin token is not valid' });
    expect((await t.request({ method: 'DELETE', url: `/api/v1/tokens/${id}` })).statusCode).toBe(404);
    expect((await t.request({ method: 'GET', url: '/api/v1/tokens' })).json()).not.toContainEqual(
      expect.objectContaining({ id }),
    );
  });

  it('lets a token delete itself', async () => {
    const { id, secret } = (await create({ name: 'self-revoking', role: 'admin' })).json();

    expect((await as(secret, 'DELETE', `/api/v1/tokens/${id}`)).statusCode).toBe(204);
    expect((await as(secret, 'GET', '/api/v1/tokens')).statusCode).toBe(401);
  });

  it('refuses a name taken, whatever its case, and the name of ADMIN_TOKEN', async () => {
    expect((await create({ name: 'Builder', role: 'viewer' })).statusCode).toBe(201);

    for (const name of ['Builder', 'builder', ' BUILDER ', 'admin', 'Admin']) {
      const response = await create({ name, role: 'viewer' });

      expect({ name, status: response.statusCode, body: response.json() }).toEqual({
        name,
        status: 409,
        body: { error: 'name_taken', message: expect.any(String), field: 'name' },
      });
    }
  });

  it.each([
    [{ role: 'viewer' }, 'name', 'name is required'],
    [{ name: '  ', role: 'viewer' }, 'name', 'name must not be blank'],
    [{ name: 'x'.repeat(101), role: 'viewer' }, 'name', 'name must be shorter than or equal to 100 characters'],
    [{ name: 'x' }, 'role', 'role is required'],
    [{ name: 'x', role: 'root' }, 'role', 'role must be one of viewer, operator, admin'],
    [{ name: 'x', role: 'viewer', details: 'yes' }, 'details', 'details must be a boolean value'],
    [{ name: 'x', role: 'viewer', secret: 'mine' }, 'secret', 'property secret should not exist'],
  ])('refuses %j naming %s', async (payload, field, message) => {
    const response = await create(payload);

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'validation_failed', field, message });
  });

  it("records the token's name as who resubmitted", async () => {
    const { secret } = (await create({ name: 'night-shift', role: 'operator' })).json();
    const message = await seedMessage(t);

    const single = await as(secret, 'POST', `/api/v1/messages/${message.id}/resubmit`);
    const bulk = await as(secret, 'POST', '/api/v1/resubmissions', { filter: { uri: 'nothing/here' } });

    expect(single.statusCode).toBe(202);
    const [row] = await t.db.query(`SELECT resubmitted_by FROM messages WHERE id = $1`, [message.id]);
    expect(row.resubmitted_by).toBe('night-shift');
    expect(bulk.statusCode).toBe(202);
    expect(bulk.json().requestedBy).toBe('night-shift');
  });
});
