import { AuditStore } from '@hookline/persistence';
import { ResubmissionWorker } from '../resubmissions/resubmission.worker';
import { seedMessage } from '../testing/admin-routes';
import { createAdminTestApp, START_TIMEOUT_MS, type AdminTestApp } from '../testing/admin-test-app';

describe('the audit log', () => {
  let t: AdminTestApp;
  let opsSecret: string;

  const audit = async (query = '') => {
    const response = await t.request({ method: 'GET', url: `/api/v1/audit${query}` });
    expect(response.statusCode).toBe(200);
    return response.json();
  };
  /** The newest entry about a target. */
  const latest = async (targetId: string) => (await audit(`?targetId=${targetId}&limit=1`)).items[0];
  const rawRows = async (): Promise<string> =>
    JSON.stringify(await t.db.query(`SELECT before::text AS b, after::text AS a FROM audit_log`));
  const countRows = async (): Promise<number> => (await t.db.query(`SELECT count(*)::int AS n FROM audit_log`))[0].n;
  const asOps = (method: 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, payload?: object) =>
    t.request({ method, url, payload, headers: { authorization: `Bearer ${opsSecret}` } });

  beforeAll(async () => {
    t = await createAdminTestApp();
    await t.app.get(ResubmissionWorker).beforeApplicationShutdown();
    opsSecret = (
      await t.request({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'ops', role: 'admin' } })
    ).json().secret;
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  describe('provider changes', () => {
    let providerId: string;

    it('records a creation with the token name and the secrets masked', async () => {
      const created = await asOps('POST', '/api/v1/providers', {
        name: 'github',
        matchScript: 'return true',
        properties: [
          { name: 'WEBHOOK_SECRET', value: 's3cret-value', secret: true },
          { name: 'team', value: 'platform' },
        ],
      });
      expect(created.statusCode).toBe(201);
      providerId = created.json().id;

      const entry = await latest(providerId);

      expect(entry).toEqual({
        id: expect.any(String),
        at: expect.any(String),
        tokenName: 'ops',
        action: 'provider.create',
        targetType: 'provider',
        targetId: providerId,
        before: null,
        after: expect.objectContaining({
          id: providerId,
          name: 'github',
          properties: [
            { name: 'WEBHOOK_SECRET', value: '****', secret: true },
            { name: 'team', value: 'platform', secret: false },
          ],
        }),
      });
      const raw = await rawRows();
      expect(raw).not.toContain('s3cret-value');
      expect(raw).not.toContain('enc:v1');
    });

    it('records an update with before and after, secrets masked in both', async () => {
      await asOps('PATCH', `/api/v1/providers/${providerId}`, {
        description: 'pushes',
        properties: [{ name: 'WEBHOOK_SECRET', value: 'rotated-value', secret: true }],
      });

      const entry = await latest(providerId);

      expect(entry).toMatchObject({
        tokenName: 'ops',
        action: 'provider.update',
        before: { description: null, properties: [{ name: 'WEBHOOK_SECRET', value: '****', secret: true }, {}] },
        after: { description: 'pushes', properties: [{ name: 'WEBHOOK_SECRET', value: '****', secret: true }] },
      });
      expect(await rawRows()).not.toContain('rotated-value');
    });

    it('records a template creation, naming the template', async () => {
      const created = await asOps('POST', '/api/v1/providers', {
        template: 'stripe',
        name: 'billing',
        properties: [{ name: 'STRIPE_WEBHOOK_SECRET', value: 'whsec_template' }],
      });
      expect(created.statusCode).toBe(201);

      const entry = await latest(created.json().id);

      expect(entry).toMatchObject({ action: 'provider.create', after: { template: 'stripe', name: 'billing' } });
      expect(await rawRows()).not.toContain('whsec_template');
    });

    it('records a reorder with the order before and after', async () => {
      const ids = (await t.request({ method: 'GET', url: '/api/v1/providers' }))
        .json()
        .map((p: { id: string }) => p.id);

      expect((await asOps('PUT', '/api/v1/providers/order', { ids: [...ids].reverse() })).statusCode).toBe(200);

      expect((await audit('?action=provider.reorder')).items[0]).toMatchObject({
        tokenName: 'ops',
        targetType: 'provider',
        targetId: null,
        before: ids,
        after: [...ids].reverse(),
      });
    });

    it('records function changes, and a deletion with what went with it', async () => {
      const fn = await asOps('POST', '/api/v1/functions', {
        name: 'deploy',
        providerId,
        uri: 'git/push',
        script: 'return 1',
      });
      const functionId = fn.json().id;
      await asOps('PATCH', `/api/v1/functions/${functionId}`, { active: false });

      expect((await audit(`?targetId=${functionId}`)).items).toMatchObject([
        { action: 'function.update', before: { active: true }, after: { active: false } },
        { action: 'function.create', before: null, after: { name: 'deploy', uri: 'git/push' } },
      ]);

      await asOps('DELETE', `/api/v1/providers/${providerId}`);

      expect(await latest(providerId)).toMatchObject({
        action: 'provider.delete',
        before: {
          id: providerId,
          properties: [{ name: 'WEBHOOK_SECRET', value: '****' }],
          functions: [{ id: functionId, name: 'deploy' }],
        },
        after: null,
      });
    });

    it('records a function deletion', async () => {
      const provider = (await asOps('POST', '/api/v1/providers', { name: 'p2', matchScript: 'return true' })).json();
      const fn = (
        await asOps('POST', '/api/v1/functions', { name: 'f', providerId: provider.id, uri: 'u', script: 'return 1' })
      ).json();

      await asOps('DELETE', `/api/v1/functions/${fn.id}`);

      expect(await latest(fn.id)).toMatchObject({ action: 'function.delete', before: { id: fn.id }, after: null });
    });
  });

  describe('in the same transaction as the change', () => {
    it('leaves no entry when the change fails', async () => {
      await asOps('POST', '/api/v1/providers', { name: 'unique', matchScript: 'return true' });
      const before = await countRows();

      const taken = await asOps('POST', '/api/v1/providers', { name: 'unique', matchScript: 'return true' });
      const unknown = await asOps('DELETE', '/api/v1/functions/019abf50-1b2c-7d3e-9f40-a1b2c3d4e5f6');

      expect([taken.statusCode, unknown.statusCode]).toEqual([409, 404]);
      expect(await countRows()).toBe(before);
    });

    it('rolls the entry back with a change that fails after the entry was written, and the change with it', async () => {
      const write = AuditStore.write;
      const spy = jest.spyOn(AuditStore, 'write').mockImplementationOnce(async (tx, record) => {
        await write(tx, record);
        throw new Error('the change failed after its audit entry was written');
      });
      const before = await countRows();

      const response = await asOps('POST', '/api/v1/providers', { name: 'doomed', matchScript: 'return true' });

      expect(spy).toHaveBeenCalledTimes(1);
      expect(response.statusCode).toBe(500);
      expect(await countRows()).toBe(before);
      const providers = (await t.request({ method: 'GET', url: '/api/v1/providers' })).json();
      expect(providers.map((p: { name: string }) => p.name)).not.toContain('doomed');
    });
  });

  describe('tokens and resubmissions', () => {
    it('records token creation and deletion, never the secret', async () => {
      const created = (
        await asOps('POST', '/api/v1/tokens', { name: 'temporary', role: 'viewer', details: true })
      ).json();
      await asOps('DELETE', `/api/v1/tokens/${created.id}`);

      expect((await audit(`?targetId=${created.id}`)).items).toMatchObject([
        { action: 'token.delete', tokenName: 'ops', before: { name: 'temporary', role: 'viewer' }, after: null },
        { action: 'token.create', tokenName: 'ops', before: null, after: { name: 'temporary', details: true } },
      ]);
      const raw = JSON.stringify(await t.db.query(`SELECT * FROM audit_log`));
      expect(raw).not.toContain(created.secret);
      expect(raw).not.toContain(created.secret.slice(4));
    });

    it('records single and bulk resubmissions, and a cancel', async () => {
      const message = await seedMessage(t);

      await asOps('POST', `/api/v1/messages/${message.id}/resubmit`);
      const bulk = (await asOps('POST', '/api/v1/resubmissions', { filter: { status: 'FAILED' } })).json();
      await asOps('POST', `/api/v1/resubmissions/${bulk.id}/cancel`);

      expect(await latest(message.id)).toMatchObject({
        action: 'message.resubmit',
        tokenName: 'ops',
        targetType: 'message',
        before: { run: 0 },
        after: { run: 1 },
      });
      expect((await audit(`?targetId=${bulk.id}`)).items).toMatchObject([
        { action: 'resubmission.cancel', after: { status: 'CANCELLED' } },
        { action: 'resubmission.create', tokenName: 'ops', after: { filter: { status: 'FAILED' }, status: 'PENDING' } },
      ]);
    });
  });

  describe('the list', () => {
    it('pages newest first with a cursor, and filters by action', async () => {
      const all = (await audit('?limit=200')).items;
      const first = await audit('?limit=2');
      const second = await audit(`?limit=2&cursor=${first.nextCursor}`);

      expect(all.length).toBeGreaterThan(4);
      expect([...first.items, ...second.items].map((e: { id: string }) => e.id)).toEqual(
        all.slice(0, 4).map((e: { id: string }) => e.id),
      );
      expect(all.map((e: { id: string }) => e.id)).toEqual(
        all
          .map((e: { id: string }) => e.id)
          .sort()
          .reverse(),
      );
      const creates = (await audit('?action=provider.create')).items;
      expect(creates.length).toBeGreaterThan(0);
      expect(creates.every((e: { action: string }) => e.action === 'provider.create')).toBe(true);
      expect((await audit('?limit=200')).nextCursor).toBeNull();
    });

    it.each([
      ['?limit=0', 'limit'],
      ['?cursor=yesterday', 'cursor'],
      ['?actor=ops', 'actor'],
    ])('refuses %s', async (query, field) => {
      const response = await t.request({ method: 'GET', url: `/api/v1/audit${query}` });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: 'validation_failed', field });
    });
  });
});
