import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Client } from './harness/http';
import { resetSystem, type System } from './harness/system';

/** Sync answers wait 2.5 s; the slow script outlasts that on purpose and may use the CPU meanwhile. */
export const SUITE_ENV = {
  // Generous: a sync answer that must come in time gets 5 s even on a busy machine.
  SYNC_TIMEOUT_MS: '5000',
  SCRIPT_TIMEOUT_MS: '10000',
  SCRIPT_CPU_TIME_MS: '10000',
  // Scripts may call the suite's own HTTP server on loopback, and publish to webhooks.* topics.
  SCRIPT_HTTP_PRIVATE_HOSTS: '127.0.0.1',
  SCRIPT_KAFKA_TOPICS: 'webhooks.*',
};

/**
 * What a user of the webhook pipeline sees, written once and run against every deployment mode:
 * embedded (PGlite, in-process bus) and distributed (PostgreSQL, Kafka, replicas).
 */
export function pipelineBehaviour(start: () => Promise<System>): void {
  let system: System;
  let client: Client;

  beforeAll(async () => {
    system = await start();
    client = new Client(system);
  });
  afterAll(() => system?.stop());
  beforeEach(() => resetSystem(system));

  const anything = () => client.provider({ name: 'Anything', matchScript: 'return true' });

  it('answers 202 with the message id, stores the message and records a successful execution', async () => {
    const provider = await anything();
    const fn = await client.fn({
      name: 'Echo',
      providerId: provider.id,
      uri: 'git/push',
      script: 'LOG.info("hello"); LOG.setMessage("done"); return PAYLOAD.n * 2',
    });

    const res = await client.webhook('git/push', { body: '{"n":21}', headers: { 'content-type': 'application/json' } });

    expect(res.status).toBe(202);
    expect(res.body).toEqual({ messageId: expect.any(String) });
    const message = await client.settled(res.body.messageId);
    expect(message).toMatchObject({
      method: 'POST',
      uri: 'git/push',
      status: 'SUCCESS',
      providerId: provider.id,
      providerName: 'Anything',
    });
    expect(message.executions).toHaveLength(1);
    expect(message.executions[0]).toMatchObject({
      functionId: fn.id,
      functionName: 'Echo',
      status: 'SUCCESS',
      message: 'done',
      result: 42,
    });
    expect(message.executions[0].logs).toEqual([expect.objectContaining({ level: 'INFO', text: 'hello' })]);
    const payload = await fetch(`${system.adminUrl}/api/v1/messages/${message.id}/payload`, {
      headers: { authorization: 'Bearer behaviour-suite-token' },
    });
    expect(await payload.text()).toBe('{"n":21}');
  });

  it('takes the first active provider whose match script returns true and never evaluates later ones', async () => {
    await client.provider({
      name: 'Inactive',
      matchScript: 'LOG.info("inactive evaluated"); return true',
      active: false,
    });
    await client.provider({ name: 'First', matchScript: 'LOG.info("first evaluated"); return false' });
    const second = await client.provider({ name: 'Second', matchScript: 'LOG.info("second evaluated"); return true' });
    const third = await client.provider({ name: 'Third', matchScript: 'LOG.info("third evaluated"); return true' });
    await client.fn({ name: 'Second fn', providerId: second.id, uri: 'x', script: 'return "second"' });
    await client.fn({
      name: 'Second inactive fn',
      providerId: second.id,
      uri: 'x',
      script: 'return "no"',
      active: false,
    });
    await client.fn({ name: 'Third fn', providerId: third.id, uri: 'x', script: 'return "third"' });

    const res = await client.webhook('x', { sync: true, body: '{}' });

    expect(res.status).toBe(200);
    expect(res.body.executions.map((e: any) => e.result)).toEqual(['second']);
    const message = await client.settled(res.body.messageId);
    expect(message.providerName).toBe('Second');
    const log = message.matchLog.map((line: any) => line.text).join('\n');
    expect(log).toContain('first evaluated');
    expect(log).toContain('second evaluated');
    expect(log).not.toContain('third evaluated');
    expect(log).not.toContain('inactive evaluated');
  });

  it('runs every active function of the provider for the URI and none for another URI', async () => {
    const provider = await anything();
    await client.fn({ name: 'A', providerId: provider.id, uri: 'build/done', script: 'return "a"' });
    await client.fn({ name: 'B', providerId: provider.id, uri: 'build/done', script: 'return "b"' });
    await client.fn({ name: 'Other', providerId: provider.id, uri: 'build/started', script: 'return "other"' });

    const res = await client.webhook('build/done', { sync: true });

    expect(res.status).toBe(200);
    expect(res.body.executions.map((e: any) => e.result).sort()).toEqual(['a', 'b']);
  });

  it('matches on the URI without its query string and shows the query to scripts', async () => {
    const provider = await anything();
    await client.fn({ name: 'Query', providerId: provider.id, uri: 'git/push', script: 'return QUERY_PARAMS' });

    const res = await client.webhook('git/push?projectId=123&tag=a&tag=b', { sync: true });

    expect(res.status).toBe(200);
    expect(res.body.executions[0].result).toEqual({ projectId: '123', tag: ['a', 'b'] });
  });

  describe('sync requests', () => {
    it('answer 200 with every execution when all succeed', async () => {
      const provider = await anything();
      await client.fn({
        name: 'Ok',
        providerId: provider.id,
        uri: 's',
        script: 'LOG.setMessage("fine"); return { ok: true }',
      });

      const res = await client.webhook('s', { sync: true, body: 'x' });

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        messageId: expect.any(String),
        status: 'SUCCESS',
        executions: [
          {
            functionId: expect.any(String),
            functionName: 'Ok',
            status: 'SUCCESS',
            message: 'fine',
            result: { ok: true },
            error: null,
            try: 1,
          },
        ],
      });
    });

    it('answer 404 when no provider matches', async () => {
      await client.provider({ name: 'Never', matchScript: 'return false' });

      const res = await client.webhook('s', { sync: true });

      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ status: 'UNMATCHED', executions: [] });
      expect((await client.settled(res.body.messageId)).message).toBe('no active provider matched');
    });

    it('answer 404 when the provider has no function for the URI', async () => {
      const provider = await anything();
      await client.fn({ name: 'Elsewhere', providerId: provider.id, uri: 'elsewhere', script: 'return 1' });

      const res = await client.webhook('s', { sync: true });

      expect(res.status).toBe(404);
      const message = await client.settled(res.body.messageId);
      expect(message).toMatchObject({ status: 'UNMATCHED', providerName: 'Anything' });
    });

    it('answer 500 when a function fails, with its error', async () => {
      const provider = await anything();
      await client.fn({ name: 'Good', providerId: provider.id, uri: 's', script: 'return 1' });
      await client.fn({ name: 'Bad', providerId: provider.id, uri: 's', script: 'throw new Error("deploy failed")' });

      const res = await client.webhook('s', { sync: true });

      expect(res.status).toBe(500);
      expect(res.body.status).toBe('FAILED');
      const bad = res.body.executions.find((e: any) => e.functionName === 'Bad');
      expect(bad).toMatchObject({ status: 'FAILED', error: expect.stringContaining('deploy failed') });
      expect(res.body.executions.find((e: any) => e.functionName === 'Good').status).toBe('SUCCESS');
    });

    it('answer 504 when the outcome is late, and the message is still processed', async () => {
      const provider = await anything();
      await client.fn({
        name: 'Slow',
        providerId: provider.id,
        uri: 'slow',
        script: 'const end = Date.now() + 6000; while (Date.now() < end) {} return "late"',
      });

      const res = await client.webhook('slow', { sync: true });

      expect(res.status).toBe(504);
      expect(res.body).toMatchObject({ error: 'sync_timeout', messageId: expect.any(String) });
      const message = await client.settled(res.body.messageId);
      expect(message.status).toBe('SUCCESS');
      expect(message.executions[0].result).toBe('late');
    });
  });

  it('gives each of many concurrent sync requests its own outcome, across every ingress replica', async () => {
    const provider = await anything();
    await client.fn({ name: 'Echo n', providerId: provider.id, uri: 'n', script: 'return Number(QUERY_PARAMS.n)' });

    const results = await Promise.all(
      Array.from({ length: 60 }, (_, n) => client.webhook(`n?n=${n}`, { sync: true, replica: n })),
    );

    results.forEach((res, n) => {
      expect(res.status).toBe(200);
      expect(res.body.executions[0].result).toBe(n);
    });
  });

  it("hands scripts the pristine body: an HMAC over FLX_PRISTINE_PAYLOAD equals the sender's", async () => {
    const provider = await anything();
    await client.fn({
      name: 'Sign',
      providerId: provider.id,
      uri: 'sig',
      script: 'return HMAC.sha256(FLX_PRISTINE_PAYLOAD, "s3cret")',
    });
    const bodies = [
      '{\n  "a" :  1 ,\n\t"b":[ 1,2 ]   }\n\n',
      '{"text":"Grüße, 東京 🚀 — ok"}',
      'plain text with  spaces\r\n',
    ];

    for (const body of bodies) {
      const res = await client.webhook('sig', { sync: true, body, headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(200);
      expect(res.body.executions[0].result).toBe(
        createHmac('sha256', 's3cret').update(Buffer.from(body)).digest('hex'),
      );
    }
  });

  it('leaves PAYLOAD a string for a body that is not JSON, and an empty body works', async () => {
    const provider = await anything();
    await client.fn({
      name: 'Type',
      providerId: provider.id,
      uri: 't',
      script: 'return { type: typeof PAYLOAD, value: PAYLOAD }',
    });

    const xml = await client.webhook('t', {
      sync: true,
      body: '<a>1</a>',
      headers: { 'content-type': 'application/xml' },
    });
    const empty = await client.webhook('t', { sync: true, method: 'GET' });

    expect(xml.body.executions[0].result).toEqual({ type: 'string', value: '<a>1</a>' });
    expect(empty.status).toBe(200);
    expect(empty.body.executions[0].result).toEqual({ type: 'string', value: '' });
  });

  it('refuses a body over the limit with 413 and stores nothing', async () => {
    await anything();

    const res = await client.webhook('big', { body: Buffer.alloc(1024 * 1024 + 1, 'a') });

    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: 'payload_too_large' });
    expect((await client.admin('GET', '/messages')).body.items).toHaveLength(0);
  });

  it('runs the configuration saved before a webhook arrived, the change just made included', async () => {
    const provider = await anything();
    const fn = await client.fn({ name: 'Version', providerId: provider.id, uri: 'fresh', script: 'return "v1"' });
    const before = await client.webhook('fresh', { sync: true });
    expect(before.body.executions.map((e: any) => e.result)).toEqual(['v1']);

    await client.admin('PATCH', `/functions/${fn.id}`, { script: 'return "v2"' });
    const after = await client.webhook('fresh', { sync: true });
    await client.admin('PATCH', `/providers/${provider.id}`, { matchScript: 'return false' });
    const unmatched = await client.webhook('fresh', { sync: true });

    expect(after.body.executions.map((e: any) => e.result)).toEqual(['v2']);
    expect(unmatched.status).toBe(404);
  });

  it('resubmits a message with the current configuration and keeps the old executions', async () => {
    const provider = await anything();
    const fn = await client.fn({ name: 'Version', providerId: provider.id, uri: 'r', script: 'return "v1"' });
    const first = await client.webhook('r', { sync: true });
    expect(first.status).toBe(200);
    await client.admin('PATCH', `/functions/${fn.id}`, { script: 'return "v2"' });

    const res = await client.admin('POST', `/messages/${first.body.messageId}/resubmit`);

    expect(res.status).toBe(202);
    const deadline = Date.now() + 20_000;
    let message: any;
    do {
      message = await client.settled(first.body.messageId);
    } while (message.executions.length < 2 && Date.now() < deadline);
    expect(message.executions.map((e: any) => [e.result, e.resubmittedBy ?? null])).toEqual([
      ['v1', null],
      ['v2', expect.any(String)],
    ]);
  });

  describe('side effects and shaped responses of function scripts', () => {
    let server: Server;
    let calls: string[];

    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => (body += chunk));
        req.on('end', () => {
          calls.push(`${req.method} ${req.url} ${body}`);
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ build: 42 }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    beforeEach(() => (calls = []));
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('lets a function shape the sync response: status, headers and a JSON or text body', async () => {
      const provider = await anything();
      await client.fn({
        name: 'Slack reply',
        providerId: provider.id,
        uri: 'slack/command',
        script:
          'RESPONSE.status(200).header("X-Reply", "yes"); RESPONSE.body({ text: "Deploying " + QUERY_PARAMS.app }); return 1',
      });
      await client.fn({
        name: 'Challenge',
        providerId: provider.id,
        uri: 'verify',
        script: 'RESPONSE.body(PAYLOAD.challenge)',
      });

      const slack = await client.webhook('slack/command?app=web', { sync: true });
      const challenge = await client.webhook('verify', {
        sync: true,
        body: '{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}',
      });

      expect(slack.status).toBe(200);
      expect(slack.headers.get('x-reply')).toBe('yes');
      expect(slack.body).toEqual({ text: 'Deploying web' });
      expect(challenge.status).toBe(200);
      expect(challenge.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(challenge.text).toBe('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
    });

    it('calls an allowed HTTP endpoint from a function and records the call in the log', async () => {
      const provider = await anything();
      const port = (server.address() as { port: number }).port;
      await client.fn({
        name: 'Trigger CI',
        providerId: provider.id,
        uri: 'ci',
        script: `const res = await HTTP.request({ method: 'POST', url: 'http://127.0.0.1:${port}/builds', body: { ref: PAYLOAD.ref } }); return res.json()`,
      });

      const res = await client.webhook('ci', { sync: true, body: '{"ref":"main"}' });

      expect(res.status).toBe(200);
      expect(res.body.executions[0].result).toEqual({ build: 42 });
      expect(calls).toEqual(['POST /builds {"ref":"main"}']);
      const message = await client.settled(res.body.messageId);
      expect(message.executions[0].logs.map((l: any) => l.text).join('\n')).toMatch(
        /HTTP POST http:\/\/127\.0\.0\.1:\d+\/builds/,
      );
    });

    it('fails a function that calls a host or publishes to a topic that is not allowed, saying why', async () => {
      const provider = await anything();
      await client.fn({
        name: 'Metadata',
        providerId: provider.id,
        uri: 'ssrf',
        script: "await HTTP.request({ url: 'http://169.254.169.254/latest/meta-data/' })",
      });
      await client.fn({
        name: 'Own topic',
        providerId: provider.id,
        uri: 'topic',
        script: "await KAFKA.publish('hookline.jobs.v1', {})",
      });

      const ssrf = await client.webhook('ssrf', { sync: true });
      const topic = await client.webhook('topic', { sync: true });

      expect(ssrf.status).toBe(500);
      expect(ssrf.body.executions[0].error).toContain("host '169.254.169.254' is not allowed");
      expect(topic.status).toBe(500);
      expect(topic.body.executions[0].error).toContain('belongs to Hookline itself');
    });
  });

  describe('deduplication by a delivery id header', () => {
    const FINAL = ['SUCCESS', 'FAILED', 'UNMATCHED', 'DUPLICATE'];

    /** Polls a message until it has one of `statuses`. */
    const reaches = async (id: string, statuses = FINAL, timeoutMs = 20_000): Promise<any> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const res = await client.message(id);
        if (res.status === 200 && statuses.includes(res.body.status)) return res.body;
        if (Date.now() > deadline) throw new Error(`message ${id} never reached ${statuses}: ${res.text}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const github = (fields: Record<string, unknown> = {}) =>
      client.provider({ name: 'GitHub', matchScript: 'return true', dedupHeader: 'X-GitHub-Delivery', ...fields });
    const delivery = (id: string) => ({ 'X-GitHub-Delivery': id });

    it('stores a repeat within the window as DUPLICATE linked to the first, and runs nothing for it', async () => {
      const provider = await github();
      await client.fn({ name: 'Deploy', providerId: provider.id, uri: 'gh', script: 'return "deployed"' });
      const first = await client.webhook('gh', { headers: delivery('72d3162e-cc78-11e3-81ab-4c9367dc0958') });
      await client.settled(first.body.messageId);

      const again = await client.webhook('gh', {
        headers: { 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' },
      });

      expect(again.status).toBe(202);
      const duplicate = await reaches(again.body.messageId);
      expect(duplicate).toMatchObject({
        status: 'DUPLICATE',
        duplicateOf: first.body.messageId,
        providerName: 'GitHub',
        executions: [],
      });
      expect((await client.message(first.body.messageId)).body).toMatchObject({ duplicateOf: null });
      expect((await client.message(first.body.messageId)).body.executions).toHaveLength(1);
      const resubmit = await client.admin('POST', `/messages/${again.body.messageId}/resubmit`);
      expect(resubmit.status).toBe(409);
      expect(resubmit.body.message).toContain(first.body.messageId);
    });

    it('processes a repeat that comes after the window', async () => {
      const provider = await github({ dedupWindowSeconds: 1 });
      await client.fn({ name: 'Deploy', providerId: provider.id, uri: 'gh', script: 'return "deployed"' });
      const first = await client.webhook('gh', { headers: delivery('late-1') });
      await client.settled(first.body.messageId);
      await new Promise((resolve) => setTimeout(resolve, 1_200));

      const again = await client.webhook('gh', { headers: delivery('late-1') });

      const message = await reaches(again.body.messageId);
      expect(message).toMatchObject({ status: 'SUCCESS', duplicateOf: null });
      expect(message.executions).toHaveLength(1);
    });

    it('answers a sync repeat with the outcome of the first: its status code and executions', async () => {
      const provider = await github();
      await client.fn({ name: 'Good', providerId: provider.id, uri: 'gh', script: 'return 1' });
      await client.fn({ name: 'Bad', providerId: provider.id, uri: 'gh', script: 'throw new Error("deploy failed")' });
      const failed = await client.webhook('gh', { sync: true, headers: delivery('sync-1') });
      const unmatched = await client.webhook('nothing/here', { sync: true, headers: delivery('sync-2') });
      expect([failed.status, unmatched.status]).toEqual([500, 404]);

      const failedAgain = await client.webhook('gh', { sync: true, headers: delivery('sync-1'), replica: 1 });
      const unmatchedAgain = await client.webhook('nothing/here', { sync: true, headers: delivery('sync-2') });

      expect(failedAgain.status).toBe(500);
      expect(failedAgain.body).toEqual({
        ...failed.body,
        messageId: expect.not.stringMatching(failed.body.messageId),
        duplicateOf: failed.body.messageId,
      });
      expect(failedAgain.body.executions.map((e: any) => [e.functionName, e.status])).toEqual([
        ['Good', 'SUCCESS'],
        ['Bad', 'FAILED'],
      ]);
      expect(unmatchedAgain.status).toBe(404);
      expect(unmatchedAgain.body).toMatchObject({ status: 'UNMATCHED', executions: [] });
      expect(await reaches(failedAgain.body.messageId)).toMatchObject({
        status: 'DUPLICATE',
        duplicateOf: failed.body.messageId,
        executions: [],
      });
    });

    it('holds a sync repeat of a delivery still being processed until the first finishes', async () => {
      const provider = await github();
      await client.fn({
        name: 'Slow',
        providerId: provider.id,
        uri: 'gh',
        script: 'const end = Date.now() + 1000; while (Date.now() < end) {} return "slow"',
      });
      const first = await client.webhook('gh', { headers: delivery('busy-1') });
      await reaches(first.body.messageId, ['PROCESSING', ...FINAL]);

      const again = await client.webhook('gh', { sync: true, headers: delivery('busy-1'), replica: 1 });

      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ status: 'SUCCESS', duplicateOf: first.body.messageId });
      expect(again.body.executions.map((e: any) => e.result)).toEqual(['slow']);
      expect((await client.settled(first.body.messageId)).executions).toHaveLength(1);
    });

    it('does not take deliveries of different providers with the same id for duplicates', async () => {
      for (const source of ['a', 'b']) {
        const provider = await client.provider({
          name: `Source ${source}`,
          matchScript: `return HTTP_HEADERS['x-source'] === '${source}'`,
          dedupHeader: 'webhook-id',
        });
        await client.fn({ name: `Fn ${source}`, providerId: provider.id, uri: 'events', script: `return '${source}'` });
      }

      const a = await client.webhook('events', { sync: true, headers: { 'x-source': 'a', 'webhook-id': 'msg_1' } });
      const b = await client.webhook('events', { sync: true, headers: { 'x-source': 'b', 'webhook-id': 'msg_1' } });

      expect([a.status, b.status]).toEqual([200, 200]);
      expect([a.body.executions[0].result, b.body.executions[0].result]).toEqual(['a', 'b']);
      expect(await reaches(b.body.messageId)).toMatchObject({ status: 'SUCCESS', duplicateOf: null });
    });
  });
}
