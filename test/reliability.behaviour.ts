import { eventually, until } from '@hookline/testing';
import { Client, request } from './harness/http';
import { resetSystem, type System } from './harness/system';

export const RELIABILITY_ENV = {
  SYNC_TIMEOUT_MS: '10000',
  SYNC_MAX_WAITERS: '2',
  // Quick redelivery, so that a poison record is dead-lettered within a second.
  CONSUMER_MAX_ATTEMPTS: '3',
  CONSUMER_BACKOFF_MS: '50',
  CONSUMER_MAX_BACKOFF_MS: '200',
  // Retries whose backoff is over are published within a tenth of a second.
  FUNCTION_RETRY_INTERVAL_MS: '100',
  // Provider rate limits are in force a tenth of a second after they change.
  RATE_LIMIT_REFRESH_MS: '100',
};

/**
 * Whatever a sender sends is stored and finishes, and one record that cannot be handled ends
 * FAILED with a reason, as a dead letter, without holding up the messages behind it.
 */
export function reliabilityBehaviour(start: () => Promise<System>): void {
  let system: System;
  let client: Client;

  beforeAll(async () => {
    system = await start();
    client = new Client(system);
  }, 120_000);
  afterAll(() => system?.stop());
  beforeEach(async () => {
    await resetSystem(system);
    await system.db.query('TRUNCATE dead_letters');
  });

  const echo = async (uri: string, script = 'return PAYLOAD', matchScript = 'return true') => {
    const provider = await client.provider({ name: 'Any', matchScript });
    await client.fn({ name: 'Echo', providerId: provider.id, uri, script });
  };

  describe('anything a sender can send is stored and finishes', () => {
    it('a JSON string holding \\u0000: stored byte for byte, processed, the NUL replaced in the result', async () => {
      await echo('nul');
      const body = '{"a":"x\\u0000y"}';

      const async = await client.webhook('nul', { body });
      const sync = await client.webhook('nul', { body, sync: true });

      expect(async.status).toBe(202);
      expect(sync.status).toBe(200);
      expect(sync.body.executions[0].result).toEqual({ a: 'x\ufffdy' });
      const message = await client.settled(async.body.messageId);
      expect(message.status).toBe('SUCCESS');
      expect(message.executions[0].result).toEqual({ a: 'x\ufffdy' });
      const payload = await fetch(`${system.adminUrl}/api/v1/messages/${async.body.messageId}/payload`, {
        headers: { authorization: 'Bearer behaviour-suite-token' },
      });
      expect(await payload.text()).toBe(body);
    });

    it('a body of invalid UTF-8 bytes: stored byte for byte, processed', async () => {
      await echo('bytes');
      const body = Buffer.from([0xff, 0xfe, 0x00, 0x41, 0xc3]);

      const res = await client.webhook('bytes', { body, sync: true });

      expect(res.status).toBe(200);
      expect(res.body.executions[0].result).not.toContain('\u0000');
      const payload = await fetch(`${system.adminUrl}/api/v1/messages/${res.body.messageId}/payload`, {
        headers: { authorization: 'Bearer behaviour-suite-token' },
      });
      expect(Buffer.from(await payload.arrayBuffer()).equals(body)).toBe(true);
    });

    it('a script whose message, log line and result hold \\u0000 and lone surrogates', async () => {
      await echo(
        'odd',
        "LOG.info('log \\u0000 \\ud800'); LOG.setMessage('message \\u0000'); return { v: 'x\\ud800', ['k\\u0000']: 1 }",
      );

      const res = await client.webhook('odd', { body: '{}', sync: true });

      expect(res.status).toBe(200);
      expect(res.body.executions[0]).toMatchObject({
        status: 'SUCCESS',
        message: 'message \ufffd',
        result: { v: 'x\ufffd', 'k\ufffd': 1 },
      });
      const message = await client.settled(res.body.messageId);
      expect(message.executions[0].logs.map((line: { text: string }) => line.text)).toContain('log \ufffd \ufffd');
    });

    it('a URI and query holding %00', async () => {
      await echo('q', 'return QUERY_PARAMS');

      const query = await client.webhook('q?a=%00&b%00=1', { body: '{}', sync: true });
      const path = await client.webhook('p%00x', { body: '{}' });

      expect(query.status).toBe(200);
      expect(query.body.executions[0].result).toEqual({ a: '\ufffd', 'b\ufffd': '1' });
      expect(path.status).toBe(202);
      expect(await client.settled(path.body.messageId)).toMatchObject({ status: 'UNMATCHED', uri: 'p\ufffdx' });
    });
  });

  describe('a record that cannot be handled', () => {
    // A row the database refuses to update, as a data error would: the plan of a message to
    // `poison` can never be recorded, however often it is tried.
    const poison = async () => {
      await system.db.query(`
        CREATE OR REPLACE FUNCTION hookline_test_poison() RETURNS trigger AS $$
        BEGIN
          IF NEW.uri = 'poison' AND NEW.status = 'PROCESSING' THEN RAISE EXCEPTION 'poisoned row %', NEW.id; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql`);
      await system.db.query(`DROP TRIGGER IF EXISTS hookline_test_poison ON messages`);
      await system.db.query(
        `CREATE TRIGGER hookline_test_poison BEFORE UPDATE ON messages FOR EACH ROW EXECUTE FUNCTION hookline_test_poison()`,
      );
    };
    const cure = () => system.db.query(`DROP TRIGGER IF EXISTS hookline_test_poison ON messages`);
    afterEach(cure);

    it('ends FAILED with the reason, answers a sync caller 500, and the messages behind it flow', async () => {
      await echo('poison', 'return PAYLOAD', "return URI === 'poison'");
      const provider = await client.provider({ name: 'Other', matchScript: "return URI === 'fine'" });
      await client.fn({ name: 'Fine', providerId: provider.id, uri: 'fine', script: 'return PAYLOAD.n' });
      await poison();

      const [stuck, ...fine] = await Promise.all([
        client.webhook('poison', { body: '{"n":0}', sync: true }),
        ...Array.from({ length: 20 }, (_, n) => client.webhook('fine', { body: JSON.stringify({ n }) })),
      ]);

      expect(stuck.status).toBe(500);
      expect(stuck.body).toMatchObject({
        status: 'FAILED',
        executions: [],
        message: expect.stringMatching(/could not be matched: dead-lettered after 3 attempts .*poisoned row/),
      });
      const failed = await client.settled(stuck.body.messageId);
      expect(failed).toMatchObject({ status: 'FAILED', message: expect.stringContaining('dead-lettered') });
      for (const res of fine) {
        expect(res.status).toBe(202);
        expect((await client.settled(res.body.messageId)).status).toBe('SUCCESS');
      }

      const { metricsRegistry } = await import('@hookline/metrics');
      expect(await metricsRegistry.getSingleMetricAsString('hookline_dead_letters_total')).toMatch(
        /hookline_dead_letters_total\{group="hookline-matcher",topic="hookline.messages.received.v1"\} [1-9]/,
      );
      const listed = await client.admin('GET', `/dead-letters?messageId=${stuck.body.messageId}`);
      expect(listed.status).toBe(200);
      expect(listed.body.items).toEqual([
        expect.objectContaining({
          groupId: 'hookline-matcher',
          sourceTopic: 'hookline.messages.received.v1',
          messageId: stuck.body.messageId,
          attempts: 3,
          error: expect.stringContaining('poisoned row'),
          retriedAt: null,
        }),
      ]);

      await cure();
      const retried = await client.admin('POST', `/dead-letters/${listed.body.items[0].id}/retry`);
      expect(retried.status).toBe(202);
      expect(retried.body).toMatchObject({ action: 'resubmitted', run: 1 });
      await until(async () => (await client.message(stuck.body.messageId)).body.status === 'SUCCESS', {
        what: 'the retried message to succeed',
      });
      const again = await client.admin('POST', `/dead-letters/${listed.body.items[0].id}/retry`);
      expect(again.status).toBe(409);
      expect(again.body.error).toBe('already_retried');
      const audit = await client.admin('GET', `/audit?action=deadletter.retry`);
      expect(audit.body.items).toHaveLength(1);
    });

    it('an unreadable record on a topic is dead-lettered, not skipped in silence', async () => {
      await echo('after');
      const { BUS } = await import('@hookline/transport');
      const bus = system.apps[0].get(BUS, { strict: false });

      await bus.publish('hookline.messages.received.v1', [{ key: 'not-a-message', value: Buffer.from('{not json') }]);
      const after = await client.webhook('after', { body: '{"n":1}', sync: true });

      expect(after.status).toBe(200);
      await until(async () => (await client.admin('GET', '/dead-letters')).body.items.length > 0, {
        what: 'the unreadable record among the dead letters',
      });
      const [dead] = (await client.admin('GET', '/dead-letters')).body.items;
      expect(dead).toMatchObject({
        messageId: null,
        error: expect.stringContaining('JSON'),
        sourceTopic: 'hookline.messages.received.v1',
      });
      expect(Buffer.from(dead.value, 'base64').toString()).toBe('{not json');
    });
  });

  describe('function retry policies', () => {
    const flaky =
      "if (FLX_TRY < 3) throw new Error('flaky ' + FLX_TRY); LOG.setMessage('try ' + FLX_TRY); return FLX_TRY";

    it('tries a failed function again after its backoff, each try an execution of its own', async () => {
      const provider = await client.provider({ name: 'Any', matchScript: 'return true' });
      await client.fn({
        name: 'Flaky',
        providerId: provider.id,
        uri: 'flaky',
        script: flaky,
        retry: { maxAttempts: 4, backoffMs: 150 },
      });
      const sent = Date.now();

      const res = await client.webhook('flaky', { body: '{}', sync: true });

      expect(res.status).toBe(200);
      expect(Date.now() - sent).toBeGreaterThanOrEqual(150 + 300);
      expect(res.body.status).toBe('SUCCESS');
      expect(res.body.executions.map((e: any) => [e.try, e.status, e.error?.split('\n')[0] ?? null])).toEqual([
        [1, 'FAILED', expect.stringContaining('flaky 1')],
        [2, 'FAILED', expect.stringContaining('flaky 2')],
        [3, 'SUCCESS', null],
      ]);
      const message = await client.settled(res.body.messageId);
      expect(message.status).toBe('SUCCESS');
      const tries = [...message.executions].sort((a: any, b: any) => a.try - b.try);
      expect(tries.map((e: any) => [e.try, e.status, e.dueAt])).toEqual([
        [1, 'FAILED', null],
        [2, 'FAILED', null],
        [3, 'SUCCESS', null],
      ]);
      expect(tries[2]).toMatchObject({ message: 'try 3', result: 3 });
      // The second try started no sooner than the backoff after the first ended; the third, twice that.
      expect(Date.parse(tries[1].startedAt) - Date.parse(tries[0].finishedAt)).toBeGreaterThanOrEqual(150 - 5);
      expect(Date.parse(tries[2].startedAt) - Date.parse(tries[1].finishedAt)).toBeGreaterThanOrEqual(300 - 5);
      const executions = await client.admin('GET', `/executions?uri=flaky`);
      expect(executions.body.items.map((e: any) => e.try).sort()).toEqual([1, 2, 3]);
    });

    it('ends FAILED after its last try; a sync caller gets 500 with every try', async () => {
      const provider = await client.provider({ name: 'Any', matchScript: 'return true' });
      await client.fn({
        name: 'Broken',
        providerId: provider.id,
        uri: 'broken',
        script: "throw new Error('always')",
        retry: { maxAttempts: 3, backoffMs: 100 },
      });

      const res = await client.webhook('broken', { body: '{}', sync: true });

      expect(res.status).toBe(500);
      expect(res.body.status).toBe('FAILED');
      expect(res.body.executions.map((e: any) => [e.try, e.status])).toEqual([
        [1, 'FAILED'],
        [2, 'FAILED'],
        [3, 'FAILED'],
      ]);
      expect((await client.settled(res.body.messageId)).executions).toHaveLength(3);
    });

    it('a retry waits in the database, visible, while the messages behind it flow', async () => {
      const provider = await client.provider({ name: 'Any', matchScript: 'return true' });
      await client.fn({
        name: 'Later',
        providerId: provider.id,
        uri: 'later',
        script: "throw new Error('not yet')",
        retry: { maxAttempts: 2, backoffMs: 600_000 },
      });
      await client.fn({ name: 'Echo', providerId: provider.id, uri: 'echo', script: 'return PAYLOAD' });

      const waiting = await client.webhook('later', { body: '{}' });
      const behind = await Promise.all(
        Array.from({ length: 10 }, (_, i) => client.webhook('echo', { body: `{"i":${i}}`, replica: i })),
      );

      for (const res of behind) expect((await client.settled(res.body.messageId)).status).toBe('SUCCESS');
      const message = await eventually(
        () => client.message(waiting.body.messageId),
        (res) => res.body.executions?.length === 2,
        { what: 'the failed first try and its planned retry' },
      );
      expect(message.body.status).toBe('PROCESSING');
      const [first, second] = [...message.body.executions].sort((a: any, b: any) => a.try - b.try);
      expect(first).toMatchObject({ try: 1, status: 'FAILED', dueAt: null });
      expect(second).toMatchObject({ try: 2, status: 'PENDING' });
      expect(Date.parse(second.dueAt) - Date.parse(first.finishedAt)).toBeGreaterThanOrEqual(600_000 - 1_000);
      // The message is still running: a resubmission has to wait for it.
      expect((await client.admin('POST', `/messages/${waiting.body.messageId}/resubmit`)).status).toBe(409);
    });

    it('the admin API keeps the policy and refuses one out of bounds', async () => {
      const provider = await client.provider({ name: 'Any', matchScript: 'return true' });
      const fn = await client.fn({ name: 'F', providerId: provider.id, uri: 'f', script: 'return 1' });

      expect((await client.admin('GET', `/functions/${fn.id}`)).body.retry).toBeNull();
      const set = await client.admin('PATCH', `/functions/${fn.id}`, { retry: { maxAttempts: 5, backoffMs: 1000 } });
      expect(set.status).toBe(200);
      expect(set.body.retry).toEqual({ maxAttempts: 5, backoffMs: 1000 });
      for (const retry of [
        { maxAttempts: 1, backoffMs: 1000 },
        { maxAttempts: 11, backoffMs: 1000 },
        { maxAttempts: 3, backoffMs: 10 },
        { maxAttempts: 3 },
        'often',
      ]) {
        const res = await client.admin('PATCH', `/functions/${fn.id}`, { retry });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ error: expect.any(String), message: expect.stringContaining('retry') });
      }
      const off = await client.admin('PATCH', `/functions/${fn.id}`, { retry: null });
      expect(off.body.retry).toBeNull();
    });
  });

  describe('admin API input', () => {
    it('accepts a bodiless action sent with a JSON content type', async () => {
      await echo('again');
      const first = await client.webhook('again', { body: '{}', sync: true });

      const res = await request(`${system.adminUrl}/api/v1/messages/${first.body.messageId}/resubmit`, {
        method: 'POST',
        headers: { authorization: 'Bearer behaviour-suite-token', 'content-type': 'application/json' },
      });

      expect(res.status).toBe(202);
      expect(res.body).toEqual({ messageId: first.body.messageId, run: 1 });
    });

    it('answers malformed JSON with a specific 400', async () => {
      const res = await request(`${system.adminUrl}/api/v1/providers`, {
        method: 'POST',
        headers: { authorization: 'Bearer behaviour-suite-token', 'content-type': 'application/json' },
        body: '{"name":',
      });

      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    });
  });

  describe('backpressure', () => {
    it("answers 429 with Retry-After, storing nothing, beyond a provider's rate limit; other URIs flow", async () => {
      const limited = await client.provider({
        name: 'Limited',
        matchScript: "return URI === 'limited'",
        rateLimit: { perSecond: 0.05, burst: 3 },
      });
      await client.fn({ name: 'Echo', providerId: limited.id, uri: 'limited', script: 'return 1' });
      await echo('free');

      // The ingress reads limits when the configuration revision moves: a refusal comes within a few sends.
      const answers: Array<{ status: number; retryAfter: string | null; body: any }> = [];
      await until(
        async () => {
          const res = await client.webhook('limited', { body: '{}' });
          answers.push({ status: res.status, retryAfter: res.headers.get('retry-after'), body: res.body });
          return res.status === 429;
        },
        { what: 'a 429 from the rate-limited provider' },
      );
      const [refused] = answers.slice(-1);
      const again = await client.webhook('limited', { body: '{}', sync: true });
      const free = await Promise.all(Array.from({ length: 5 }, () => client.webhook('free', { body: '{}' })));

      expect(refused.body).toMatchObject({ error: 'rate_limited', message: expect.stringContaining("'Limited'") });
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(again.status).toBe(429);
      expect(free.map((res) => res.status)).toEqual([202, 202, 202, 202, 202]);
      const stored = await system.db.query(`SELECT uri, count(*)::int AS n FROM messages GROUP BY uri ORDER BY uri`);
      expect(stored).toEqual([
        { uri: 'free', n: 5 },
        { uri: 'limited', n: answers.filter((a) => a.status === 202).length },
      ]);
      const provider = await client.admin('GET', `/providers/${limited.id}`);
      expect(provider.body.rateLimit).toEqual({ perSecond: 0.05, burst: 3 });
      const lifted = await client.admin('PATCH', `/providers/${limited.id}`, { rateLimit: null });
      expect(lifted.body.rateLimit).toBeNull();
      await until(async () => (await client.webhook('limited', { body: '{}' })).status === 202, {
        what: 'the lifted limit to be out of force',
      });
      const bad = await client.admin('PATCH', `/providers/${limited.id}`, { rateLimit: { perSecond: 0, burst: 1 } });
      expect(bad.status).toBe(400);
    });

    it('answers 503 with Retry-After, storing nothing, beyond SYNC_MAX_WAITERS sync requests on a replica', async () => {
      await echo('slow', 'const end = Date.now() + 1500; while (Date.now() < end) {} return 1');

      const answers = await Promise.all(
        Array.from({ length: 4 }, () => client.webhook('slow', { body: '{}', sync: true })),
      );

      const busy = answers.filter((res) => res.status === 503);
      expect(busy.length).toBeGreaterThanOrEqual(2);
      for (const res of busy) {
        expect(res.body).toMatchObject({ error: 'sync_busy' });
        expect(res.headers.get('retry-after')).toBe('1');
      }
      expect(answers.filter((res) => res.status === 200)).toHaveLength(4 - busy.length);
      const stored = await system.db.query(`SELECT count(*)::int AS n FROM messages`);
      expect(stored[0].n).toBe(4 - busy.length);
    });
  });

  it('readiness reports the outbox backlog', async () => {
    const res = await request(`${system.ingressUrls[0]}/health/ready`);

    expect(res.status).toBe(200);
    expect(res.body.checks).toMatchObject({
      database: 'up',
      bus: 'up',
      outbox: { count: expect.any(Number), capped: false },
    });
  });
}
