import { createAdminTestApp, START_TIMEOUT_MS, type AdminTestApp } from '../testing/admin-test-app';

describe('GET /api/v1/session', () => {
  let t: AdminTestApp;

  beforeAll(async () => {
    t = await createAdminTestApp();
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await t.close();
  });

  it('names the bootstrap token an admin that may see details', async () => {
    const response = await t.request({ method: 'GET', url: '/api/v1/session' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ name: 'admin', role: 'admin', details: true });
  });

  it('tells an API token its own role and details permission, and never its secret', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'dashboard', role: 'viewer' },
    });
    const { secret } = created.json();

    const response = await t.request({
      method: 'GET',
      url: '/api/v1/session',
      headers: { authorization: `Bearer ${secret}` },
    });

    expect(response.json()).toEqual({ name: 'dashboard', role: 'viewer', details: false });
  });

  it('answers 401 without a token', async () => {
    const response = await t.request({ method: 'GET', url: '/api/v1/session', headers: { authorization: undefined } });

    expect(response.statusCode).toBe(401);
  });
});
