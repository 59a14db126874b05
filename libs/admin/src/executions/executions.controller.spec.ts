import { v7 as uuidv7 } from 'uuid';
import { ExecutionStatus } from '@hookline/contracts';
import { createAdminTestApp, START_TIMEOUT_MS, type AdminTestApp } from '../testing/admin-test-app';

describe('executions API', () => {
  let t: AdminTestApp;
  const list = (query: string) => t.request({ method: 'GET', url: `/api/v1/executions${query}` });
  const ids = async (query: string) => (await list(query)).json().items.map((e: { id: string }) => e.id);

  /** A message of `providerId` to `uri` with one execution per entry, planned in order; returns execution ids. */
  const seed = async (
    uri: string,
    providerId: string,
    executions: Array<{ functionId: string; status: string; message?: string; run?: number }>,
  ): Promise<string[]> => {
    const messageId = uuidv7();
    await t.messages.insertMany([
      {
        id: messageId,
        method: 'POST',
        uri,
        query: {},
        headers: {},
        remoteAddr: '203.0.113.9',
        contentType: null,
        body: Buffer.from('{}'),
        receivedAt: new Date(),
        replyTo: null,
      },
    ]);
    await t.db.query(
      `UPDATE messages SET status = 'FAILED', provider_id = $2, provider_name = 'github' WHERE id = $1`,
      [messageId, providerId],
    );
    const executionIds: string[] = [];
    for (const e of executions) {
      const id = uuidv7();
      await t.db.query(
        `INSERT INTO executions (id, message_id, run, function_id, function_name, status, attempt, message, duration_ms,
                                 started_at, finished_at, resubmitted_by)
         VALUES ($1, $2, $3, $4, 'deploy', $5, 1, $6, 42, '2025-01-01T00:00:01Z', '2025-01-01T00:00:02Z', $7)`,
        [id, messageId, e.run ?? 0, e.functionId, e.status, e.message ?? null, e.run ? 'admin' : null],
      );
      executionIds.push(id);
    }
    return executionIds;
  };

  beforeAll(async () => {
    t = await createAdminTestApp();
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await t.close();
  });

  it('lists executions newest first, each with its message URI and provider', async () => {
    const [providerId, functionId] = [uuidv7(), uuidv7()];
    const [first, second] = await seed('executions/list', providerId, [
      { functionId, status: 'FAILED', message: 'deploy failed' },
      { functionId, status: 'SUCCESS', run: 1 },
    ]);

    const response = await list(`?providerId=${providerId}`);

    expect(response.statusCode).toBe(200);
    const page = response.json();
    expect(page.items.map((e: { id: string }) => e.id)).toEqual([second, first]);
    expect(page.nextCursor).toBeNull();
    expect(page.items[1]).toEqual({
      id: first,
      messageId: expect.any(String),
      functionId,
      functionName: 'deploy',
      status: 'FAILED',
      message: 'deploy failed',
      durationMs: 42,
      attempt: 1,
      try: 1,
      run: 0,
      startedAt: '2025-01-01T00:00:01.000Z',
      finishedAt: '2025-01-01T00:00:02.000Z',
      resubmittedBy: null,
      uri: 'executions/list',
      providerId,
      providerName: 'github',
    });
    expect(page.items[0]).toMatchObject({ run: 1, resubmittedBy: 'admin' });
  });

  it('filters by execution status, function, URI and text, and pages with a cursor', async () => {
    const [providerId, deploy, notify] = [uuidv7(), uuidv7(), uuidv7()];
    const [a, b] = await seed('executions/filter', providerId, [
      { functionId: deploy, status: 'FAILED', message: 'timed out' },
      { functionId: notify, status: 'SUCCESS' },
    ]);
    const [c] = await seed('executions/filter', providerId, [{ functionId: deploy, status: 'RUNNING' }]);

    expect(await ids(`?uri=/executions/filter/&status=FAILED`)).toEqual([a]);
    expect(await ids(`?functionId=${deploy}`)).toEqual([c, a]);
    expect(await ids(`?providerId=${providerId}&status=RUNNING`)).toEqual([c]);
    expect(await ids(`?providerId=${providerId}&q=TIMED`)).toEqual([a]);
    expect(await ids(`?providerId=${providerId}&from=2000-01-01&to=2000-01-02`)).toEqual([]);

    const first = (await list(`?providerId=${providerId}&limit=2`)).json();
    const second = (await list(`?providerId=${providerId}&limit=2&cursor=${first.nextCursor}`)).json();
    expect([...first.items, ...second.items].map((e: { id: string }) => e.id)).toEqual([c, b, a]);
    expect(second.nextCursor).toBeNull();
  });

  it.each([
    ['?status=UNMATCHED', 'status', `status must be one of ${Object.values(ExecutionStatus).join(', ')}`],
    ['?functionId=deploy', 'functionId', 'functionId must be the id of a function'],
    ['?from=last-week', 'from', 'from must be an ISO 8601 time with its offset, like 2026-11-29T10:00:00Z, or a date'],
    ['?limit=500', 'limit', 'limit must not be greater than 200'],
    ['?cursor=1', 'cursor', 'cursor must be the nextCursor of a previous page'],
  ])('refuses %s', async (query, field, message) => {
    const response = await list(query);

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'validation_failed', field, message });
  });

  it('needs the admin token', async () => {
    const response = await t.request({
      method: 'GET',
      url: '/api/v1/executions',
      headers: { authorization: undefined },
    });

    expect(response.statusCode).toBe(401);
  });
});
