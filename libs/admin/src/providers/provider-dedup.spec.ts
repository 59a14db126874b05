import { createAdminTestApp, START_TIMEOUT_MS, type AdminTestApp } from '../testing/admin-test-app';

describe('providers API: deduplication settings', () => {
  let t: AdminTestApp;
  let seq = 0;

  const create = (body: object) =>
    t.request({
      method: 'POST',
      url: '/api/v1/providers',
      payload: { name: `dedup-${++seq}`, matchScript: 'return true', ...body },
    });
  const patch = (id: string, body: object) =>
    t.request({ method: 'PATCH', url: `/api/v1/providers/${id}`, payload: body });

  beforeAll(async () => {
    t = await createAdminTestApp();
  }, START_TIMEOUT_MS);
  afterAll(() => t.close());

  it('takes a dedup header with a default window of a day, and a window of its own', async () => {
    const github = await create({ dedupHeader: 'X-GitHub-Delivery' });
    const svix = await create({ dedupHeader: 'webhook-id', dedupWindowSeconds: 600 });

    expect(github.statusCode).toBe(201);
    expect(github.json()).toMatchObject({ dedupHeader: 'X-GitHub-Delivery', dedupWindowSeconds: 86_400 });
    expect(svix.json()).toMatchObject({ dedupHeader: 'webhook-id', dedupWindowSeconds: 600 });
    const [stored] = await t.db.query(`SELECT dedup_header, dedup_window_seconds FROM providers WHERE id = $1`, [
      github.json().id,
    ]);
    expect(stored).toEqual({ dedup_header: 'X-GitHub-Delivery', dedup_window_seconds: null });
  });

  it('changes and stops deduplication with PATCH', async () => {
    const provider = (await create({ dedupHeader: 'X-Gitlab-Event-UUID' })).json();

    const widened = await patch(provider.id, { dedupWindowSeconds: 3600 });
    const stopped = await patch(provider.id, { dedupHeader: null });

    expect(widened.json()).toMatchObject({ dedupHeader: 'X-Gitlab-Event-UUID', dedupWindowSeconds: 3600 });
    expect(stopped.json()).toMatchObject({ dedupHeader: null, dedupWindowSeconds: null });
  });

  it.each([
    [
      { dedupHeader: 'X GitHub Delivery' },
      'dedupHeader',
      'dedupHeader must be an HTTP header name, like X-GitHub-Delivery',
    ],
    [{ dedupHeader: 42 }, 'dedupHeader', 'dedupHeader must be a string'],
    [
      { dedupHeader: 'webhook-id', dedupWindowSeconds: 0 },
      'dedupWindowSeconds',
      'dedupWindowSeconds must not be less than 1',
    ],
    [{ dedupWindowSeconds: 1.5 }, 'dedupWindowSeconds', 'dedupWindowSeconds must be an integer number'],
  ])('refuses %j naming the field', async (body, field, message) => {
    const response = await create(body);

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'validation_failed', field, message });
  });
});
