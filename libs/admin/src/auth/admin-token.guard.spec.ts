import { v7 as uuidv7 } from 'uuid';
import { ApiTokenStore } from '@hookline/persistence';
import { createAdminTestApp, START_TIMEOUT_MS, TEST_ADMIN_TOKEN, type AdminTestApp } from '../testing/admin-test-app';
import { newTokenSecret, secretSha256 } from './token-secret';

const id = uuidv7();
const ROUTES = [
  ['GET', '/api/v1/providers'],
  ['POST', '/api/v1/providers'],
  ['PUT', '/api/v1/providers/order'],
  ['GET', `/api/v1/providers/${id}`],
  ['PATCH', `/api/v1/providers/${id}`],
  ['DELETE', `/api/v1/providers/${id}`],
  ['GET', '/api/v1/functions'],
  ['POST', '/api/v1/functions'],
  ['GET', `/api/v1/functions/${id}`],
  ['PATCH', `/api/v1/functions/${id}`],
  ['DELETE', `/api/v1/functions/${id}`],
  ['GET', '/api/v1/messages'],
  ['GET', `/api/v1/messages/${id}`],
  ['GET', `/api/v1/messages/${id}/payload`],
  ['POST', `/api/v1/messages/${id}/resubmit`],
] as const;

const withBody = (method: string) => (['POST', 'PUT', 'PATCH'].includes(method) ? { payload: {} } : {});

describe('admin token', () => {
  describe('with ADMIN_TOKEN set', () => {
    let t: AdminTestApp;

    beforeAll(async () => {
      t = await createAdminTestApp();
    }, START_TIMEOUT_MS);

    afterAll(async () => {
      await t.close();
    });

    it.each(ROUTES)('%s %s answers 401 without a token, with a wrong one, or another scheme', async (method, url) => {
      const cases = {
        missing: undefined,
        wrong: 'Bearer not-the-token',
        prefix: `Bearer ${TEST_ADMIN_TOKEN.slice(0, -1)}`,
        longer: `Bearer ${TEST_ADMIN_TOKEN}x`,
        basic: `Basic ${Buffer.from(`admin:${TEST_ADMIN_TOKEN}`).toString('base64')}`,
        bare: TEST_ADMIN_TOKEN,
      };
      for (const [name, authorization] of Object.entries(cases)) {
        const response = await t.request({ method, url, headers: { authorization }, ...withBody(method) });

        expect({ name, status: response.statusCode }).toEqual({ name, status: 401 });
        expect(response.json()).toEqual({ error: 'unauthorized', message: expect.any(String) });
        expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    });

    it('says what is wrong', async () => {
      const missing = await t.request({
        method: 'GET',
        url: '/api/v1/providers',
        headers: { authorization: undefined },
      });
      const wrong = await t.request({
        method: 'GET',
        url: '/api/v1/providers',
        headers: { authorization: 'Bearer nope' },
      });

      expect(missing.json().message).toBe('send the admin token as an "Authorization: Bearer <token>" header');
      expect(wrong.json().message).toBe('the admin token is not valid');
    });

    it.each(ROUTES)('%s %s lets the admin token through', async (method, url) => {
      const response = await t.request({ method, url, ...withBody(method) });

      expect(response.statusCode).not.toBe(401);
    });

    it('accepts the scheme in any case', async () => {
      const response = await t.request({
        method: 'GET',
        url: '/api/v1/providers',
        headers: { authorization: `bearer ${TEST_ADMIN_TOKEN}` },
      });

      expect(response.statusCode).toBe(200);
    });
  });

  describe('without ADMIN_TOKEN', () => {
    let t: AdminTestApp;

    beforeAll(async () => {
      t = await createAdminTestApp({ adminToken: null });
    }, START_TIMEOUT_MS);

    afterAll(async () => {
      await t.close();
    });

    it.each(ROUTES)('%s %s answers 401 saying ADMIN_TOKEN is not set', async (method, url) => {
      for (const authorization of [undefined, 'Bearer ', 'Bearer undefined', `Bearer ${TEST_ADMIN_TOKEN}`]) {
        const response = await t.request({ method, url, headers: { authorization }, ...withBody(method) });

        expect(response.statusCode).toBe(401);
        expect(response.json()).toEqual({
          error: 'unauthorized',
          message: expect.stringContaining(
            'ADMIN_TOKEN is not set: only tokens created with POST /api/v1/tokens are accepted',
          ),
        });
      }
    });

    it('still accepts the API tokens created before ADMIN_TOKEN was removed', async () => {
      const secret = newTokenSecret();
      await new ApiTokenStore(t.db).create({
        id: uuidv7(),
        name: 'ops',
        role: 'admin',
        details: false,
        secretSha256: secretSha256(secret),
        createdBy: 'admin',
      });

      const response = await t.request({
        method: 'GET',
        url: '/api/v1/providers',
        headers: { authorization: `Bearer ${secret}` },
      });

      expect(response.statusCode).toBe(200);
    });
  });
});
