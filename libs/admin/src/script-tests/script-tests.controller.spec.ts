import { decodeEvent, Topics, type ScriptTestRequestEvent } from '@hookline/contracts';
import {
  createAdminTestApp,
  START_TIMEOUT_MS,
  STUB_SCRIPT_TEST_OUTCOME,
  type AdminTestApp,
} from '../testing/admin-test-app';
import { ScriptTestsService } from './script-tests.service';

describe('script tests: the admin API hands them to the executors over the bus', () => {
  let t: AdminTestApp;
  let providerId: string;
  let functionId: string;
  const sent: ScriptTestRequestEvent[] = [];

  beforeAll(async () => {
    t = await createAdminTestApp();
    await t.bus.subscribe(
      { topic: Topics.ScriptTests, groupId: 'spec-observer', fromBeginning: false, concurrency: 1 },
      async (record) => {
        sent.push(decodeEvent<ScriptTestRequestEvent>(record.value));
      },
    );
    const provider = await t.request({
      method: 'POST',
      url: '/api/v1/providers',
      payload: { name: 'ci', matchScript: 'return true' },
    });
    providerId = provider.json().id;
    const fn = await t.request({
      method: 'POST',
      url: '/api/v1/functions',
      payload: { name: 'notify', providerId, uri: 'ci/done', script: 'return 1' },
    });
    functionId = fn.json().id;
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await t.close();
  });

  beforeEach(() => {
    sent.length = 0;
  });

  it("sends the edited script with the function's provider and the request, and answers the executor's outcome", async () => {
    const response = await t.request({
      method: 'POST',
      url: `/api/v1/functions/${functionId}/test`,
      payload: {
        script: 'return PAYLOAD',
        request: { headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' },
      },
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(STUB_SCRIPT_TEST_OUTCOME);
    expect(sent).toEqual([
      expect.objectContaining({
        kind: 'function',
        providerId,
        functionId,
        script: 'return PAYLOAD',
        request: expect.objectContaining({
          method: 'POST',
          uri: 'ci/done',
          headers: { 'content-type': 'application/json' },
          contentType: 'application/json',
          body: Buffer.from('{"a":1}').toString('base64'),
        }),
      }),
    ]);
    expect(Date.parse(sent[0].expiresAt)).toBeGreaterThan(Date.now());
  });

  it('sends the saved match script when none is given', async () => {
    const response = await t.request({
      method: 'POST',
      url: `/api/v1/providers/${providerId}/test`,
      payload: { request: {} },
    });

    expect(response.statusCode).toBe(200);
    expect(sent).toEqual([
      expect.objectContaining({ kind: 'match', providerId, functionId: null, script: 'return true' }),
    ]);
  });

  it('answers a script that does not parse at once, with its line and column, sending nothing', async () => {
    const response = await t.request({
      method: 'POST',
      url: `/api/v1/providers/${providerId}/test`,
      payload: { script: 'let a = 1;\nreturn {;', request: {} },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'script_syntax_error', field: 'script', line: 2, column: 9 });
    expect(sent).toEqual([]);
  });

  it('refuses a request method it does not know, naming the ones it does', async () => {
    const response = await t.request({
      method: 'POST',
      url: `/api/v1/providers/${providerId}/test`,
      payload: { request: { method: 'BREW' } },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'validation_failed',
      field: 'request.method',
      message: 'request.method must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS',
    });
    expect(sent).toEqual([]);
  });

  it('answers 404 for an unknown provider or function', async () => {
    const unknown = '01900000-0000-7000-8000-000000000000';
    const provider = await t.request({
      method: 'POST',
      url: `/api/v1/providers/${unknown}/test`,
      payload: { request: {} },
    });
    const fn = await t.request({ method: 'POST', url: `/api/v1/functions/${unknown}/test`, payload: { request: {} } });

    expect([provider.statusCode, fn.statusCode]).toEqual([404, 404]);
    expect(provider.json().error).toBe('not_found');
  });

  it('answers 503 script_tests_unavailable when the broker refuses the request', async () => {
    const publish = jest.spyOn(t.bus, 'publish').mockRejectedValueOnce(new Error('broker down'));
    try {
      const response = await t.request({
        method: 'POST',
        url: `/api/v1/providers/${providerId}/test`,
        payload: { request: {} },
      });

      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({
        error: 'script_tests_unavailable',
        message: expect.stringContaining('broker down'),
      });
    } finally {
      publish.mockRestore();
    }
  });
});

describe('script tests with no executor running', () => {
  let t: AdminTestApp;

  beforeAll(async () => {
    t = await createAdminTestApp({ scriptTests: 'unanswered' });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await t.close();
  });

  it('answers 504 script_test_timeout once the wait is over', async () => {
    jest.spyOn(t.app.get(ScriptTestsService), 'replyTimeoutMs').mockReturnValue(300);
    const provider = await t.request({
      method: 'POST',
      url: '/api/v1/providers',
      payload: { name: 'lonely', matchScript: 'return true' },
    });

    const response = await t.request({
      method: 'POST',
      url: `/api/v1/providers/${provider.json().id}/test`,
      payload: { request: {} },
    });

    expect(response.statusCode).toBe(504);
    expect(response.json()).toMatchObject({ error: 'script_test_timeout', message: expect.stringContaining('300 ms') });
  });
});
