import { ResubmissionWorker } from '../resubmissions/resubmission.worker';
import { ADMIN_ROUTES, type AdminRoute } from '../testing/admin-routes';
import { createAdminTestApp, START_TIMEOUT_MS, TEST_ADMIN_TOKEN, type AdminTestApp } from '../testing/admin-test-app';
import { roleAllows, ROLES, type Role } from './roles';
import { newTokenSecret } from './token-secret';

/** Each role with and without details, and ADMIN_TOKEN. */
const CALLERS: Array<{ caller: string; role: Role; details: boolean }> = [
  ...ROLES.flatMap((role) => [
    { caller: `${role}`, role, details: false },
    { caller: `${role}+details`, role, details: true },
  ]),
  { caller: 'ADMIN_TOKEN', role: 'admin', details: true },
];

const allowed = (caller: { role: Role; details: boolean }, route: AdminRoute): boolean =>
  roleAllows(caller.role, route.role) && (!route.details || caller.details);

/** The matrix: [caller, method, path, expected], one row per caller and route. */
const MATRIX = CALLERS.flatMap((caller) =>
  ADMIN_ROUTES.map((route) => [caller.caller, route.method, route.path, allowed(caller, route) ? '2xx' : 403] as const),
);

describe('permissions: each role, with and without details, on each route', () => {
  let t: AdminTestApp;
  const secrets = new Map<string, string>();

  beforeAll(async () => {
    t = await createAdminTestApp();
    // Bulk resubmissions must stay cancellable: no worker finishing them behind the test's back.
    await t.app.get(ResubmissionWorker).beforeApplicationShutdown();
    secrets.set('ADMIN_TOKEN', TEST_ADMIN_TOKEN);
    for (const { caller, role, details } of CALLERS.filter((c) => c.caller !== 'ADMIN_TOKEN')) {
      const response = await t.request({
        method: 'POST',
        url: '/api/v1/tokens',
        payload: { name: `matrix-${caller}`, role, details },
      });
      expect(response.statusCode).toBe(201);
      secrets.set(caller, response.json().secret);
    }
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await t.close();
  });

  it('covers every caller and route', () => {
    expect(MATRIX).toHaveLength(CALLERS.length * ADMIN_ROUTES.length);
  });

  it.each(MATRIX)('%s: %s %s → %s', async (caller, method, path, expected) => {
    const route = ADMIN_ROUTES.find((r) => r.method === method && r.path === path)!;
    const request = await route.prepare(t);

    const response = await t.request({
      method,
      url: request.url,
      payload: request.payload,
      headers: { authorization: `Bearer ${secrets.get(caller)}` },
    });

    const status = response.statusCode >= 200 && response.statusCode < 300 ? '2xx' : response.statusCode;
    if (expected === 403) {
      expect({ status, body: response.json() }).toEqual({
        status: 403,
        body: { error: 'forbidden', message: expect.stringContaining(`token 'matrix-${caller}'`) },
      });
    } else {
      // The body of anything else says what went wrong.
      expect({ status, body: status === '2xx' ? null : response.body }).toEqual({ status: '2xx', body: null });
    }
  });

  it.each(ADMIN_ROUTES.map((r) => [r.method, r.path] as const))(
    '%s %s answers 401 without a token and with an unknown one',
    async (method, path) => {
      const route = ADMIN_ROUTES.find((r) => r.method === method && r.path === path)!;
      const request = await route.prepare(t);
      for (const authorization of [undefined, `Bearer ${newTokenSecret()}`, 'Bearer not-a-token']) {
        const response = await t.request({
          method,
          url: request.url,
          payload: request.payload,
          headers: { authorization },
        });

        expect({ authorization, status: response.statusCode, error: response.json().error }).toEqual({
          authorization,
          status: 401,
          error: 'unauthorized',
        });
      }
    },
  );
});
