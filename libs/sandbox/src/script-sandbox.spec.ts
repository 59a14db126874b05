import { ScriptSandbox } from './script-sandbox';
import { formatScriptError } from './script-outcome';
import { recordingHost, scriptInput } from './testing/script-input.fixture';

describe('ScriptSandbox', () => {
  const sandbox = new ScriptSandbox();
  afterAll(() => sandbox.dispose());

  const run = (source: string, input = scriptInput()) => sandbox.run('function', source, input);

  describe('globals', () => {
    const input = scriptInput({
      messageId: 'msg-42',
      method: 'POST',
      uri: 'git/push',
      query: { ref: 'main', tag: ['a', 'b'] },
      headers: { 'x-github-event': 'push', 'content-type': 'application/json' },
      remoteAddr: '198.51.100.4',
      remoteHost: 'ci.example.com',
      body: Buffer.from('{"ref":"refs/heads/main","n":1}'),
      properties: [
        { name: 'SECRET', value: 'hunter2', secret: true },
        { name: 'team', value: 'platform', secret: false },
      ],
    });

    it.each([
      ['FLX_MESSAGE_ID', 'msg-42'],
      ['FLX_PRISTINE_PAYLOAD', '{"ref":"refs/heads/main","n":1}'],
      ['FLX_REMOTE_ADDR', '198.51.100.4'],
      ['FLX_REMOTE_HOST', 'ci.example.com'],
      ['FLX_TRY', 1],
      ['HTTP_HEADERS', { 'x-github-event': 'push', 'content-type': 'application/json' }],
      ['QUERY_PARAMS', { ref: 'main', tag: ['a', 'b'] }],
      ['PAYLOAD', { ref: 'refs/heads/main', n: 1 }],
      ['URI', 'git/push'],
      ['METHOD', 'POST'],
      ['PROPERTIES', { SECRET: 'hunter2', team: 'platform' }],
      ['SECRET', 'hunter2'],
      ['team', 'platform'],
    ])('%s', async (name, expected) => {
      const outcome = await run(`return ${name}`, input);
      expect(outcome).toMatchObject({ ok: true, value: expected });
    });

    it('falls back to the remote address when no host name is known', async () => {
      const outcome = await run('return FLX_REMOTE_HOST', scriptInput({ remoteAddr: '192.0.2.1' }));
      expect(outcome.value).toBe('192.0.2.1');
    });

    it('lower-cases header names', async () => {
      const outcome = await run("return HTTP_HEADERS['x-mixed']", scriptInput({ headers: { 'X-Mixed': 'yes' } }));
      expect(outcome.value).toBe('yes');
    });

    it('gives a body that is not JSON to PAYLOAD as the raw string', async () => {
      const outcome = await run('return PAYLOAD', scriptInput({ body: Buffer.from('a=1&b=2') }));
      expect(outcome.value).toBe('a=1&b=2');
    });

    it('gives an empty body to PAYLOAD as an empty string', async () => {
      const outcome = await run('return [PAYLOAD, FLX_PRISTINE_PAYLOAD]', scriptInput({ body: Buffer.alloc(0) }));
      expect(outcome.value).toEqual(['', '']);
    });

    it('lets a script reassign PAYLOAD for the rest of its run only', async () => {
      const first = await run('PAYLOAD = { replaced: true }; return PAYLOAD');
      const second = await run('return PAYLOAD');
      expect(first.value).toEqual({ replaced: true });
      expect(second.value).toEqual({});
    });

    it('skips properties whose names are not identifiers or would hide a global', async () => {
      const properties = [
        { name: 'not-an-identifier', value: 'x', secret: false },
        { name: 'JSON', value: 'x', secret: false },
        { name: 'LOG', value: 'x', secret: false },
        { name: 'class', value: 'x', secret: false },
        { name: 'OK_NAME', value: 'fine', secret: false },
      ];
      const outcome = await run(
        'return [typeof JSON.parse, typeof LOG.info, OK_NAME, PROPERTIES["not-an-identifier"]]',
        scriptInput({ properties }),
      );
      expect(outcome.value).toEqual(['function', 'function', 'fine', 'x']);
    });

    it('lets a script declare a variable named like a property', async () => {
      const properties = [{ name: 'token', value: 'abc', secret: false }];
      const outcome = await run('const token = PROPERTIES.token + "!"; return token', scriptInput({ properties }));
      expect(outcome.value).toBe('abc!');
    });

    it('keeps RESPONSE, KAFKA and HTTP away from match scripts', async () => {
      const outcome = await sandbox.run('match', 'return [typeof RESPONSE, typeof KAFKA, typeof HTTP]', scriptInput());
      expect(outcome.value).toEqual(['undefined', 'undefined', 'undefined']);
    });

    it('exposes no Node APIs', async () => {
      const outcome = await run(
        'return [typeof require, typeof process, typeof module, typeof Buffer, typeof setTimeout]',
      );
      expect(outcome.value).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
    });
  });

  describe('LOG', () => {
    it('records each level with a time, JSON-stringifying what is not a string', async () => {
      const outcome = await run(`
        LOG.fine('fine'); LOG.info({ a: 1 }); LOG.warning('warn', 2); LOG.severe(new Error('bad'));
        console.log('via console');`);
      expect(outcome.logs.map(({ level, text }) => [level, text])).toEqual([
        ['FINE', 'fine'],
        ['INFO', '{"a":1}'],
        ['WARNING', 'warn 2'],
        ['SEVERE', 'Error: bad'],
        ['INFO', 'via console'],
      ]);
      expect(new Date(outcome.logs[0].at).toISOString()).toBe(outcome.logs[0].at);
    });

    it('sets the message', async () => {
      const outcome = await run("LOG.setMessage('deployed ' + 3); return 1");
      expect(outcome.message).toBe('deployed 3');
    });

    it('masks secret property values in logs, the message and errors', async () => {
      const input = scriptInput({
        properties: [
          { name: 'TOKEN', value: 's3cr3t-token', secret: true },
          { name: 'USER', value: 'deploy-bot', secret: false },
        ],
      });
      const outcome = await run(
        "LOG.info('token=' + TOKEN + ' user=' + USER); LOG.setMessage(TOKEN); throw new Error('bad ' + TOKEN)",
        input,
      );
      expect(outcome.logs[0].text).toBe('token=**** user=deploy-bot');
      expect(outcome.message).toBe('****');
      expect(outcome.error?.message).toBe('bad ****');
    });

    it('keeps logs written before a script throws', async () => {
      const outcome = await run("LOG.info('before'); throw new Error('after')");
      expect(outcome.ok).toBe(false);
      expect(outcome.logs.map((line) => line.text)).toEqual(['before']);
    });
  });

  describe('results', () => {
    it('returns the value as a JSON copy', async () => {
      const outcome = await run('return { when: new Date(0), list: [1, "two", null], skip: () => 1 }');
      expect(outcome).toMatchObject({ ok: true, value: { when: '1970-01-01T00:00:00.000Z', list: [1, 'two', null] } });
    });

    it('returns undefined when the script returns nothing', async () => {
      const outcome = await run('LOG.info("no return")');
      expect(outcome).toMatchObject({ ok: true, error: null });
      expect(outcome.value).toBeUndefined();
    });

    it('awaits async work', async () => {
      const outcome = await run('const v = await Promise.resolve(41); return v + 1');
      expect(outcome.value).toBe(42);
    });

    it('fails a value that cannot be serialised', async () => {
      const cyclic = await run('const a = {}; a.self = a; return a');
      expect(cyclic.ok).toBe(false);
      expect(cyclic.error?.message).toMatch(/not JSON-serialisable/);
      const big = await run('return 10n');
      expect(big.error?.message).toMatch(/not JSON-serialisable/);
      const fn = await run('return () => 1');
      expect(fn.error?.message).toBe('the script returned a function, which is not JSON-serialisable');
    });

    it('reports durationMs', async () => {
      const outcome = await run('return 1');
      expect(outcome.durationMs).toBeGreaterThan(0);
    });
  });

  describe('match scripts', () => {
    const match = (source: string) => sandbox.run('match', source, scriptInput());

    it.each([
      ['return true', true],
      ['return 1', false],
      ["return 'true'", false],
      ['return {}', false],
      ['return', false],
      ['return await Promise.resolve(true)', true],
    ])('%s → matched %s', async (source, matched) => {
      const outcome = await match(source);
      expect(outcome).toMatchObject({ ok: true, matched });
    });

    it('does not match when the script throws', async () => {
      const outcome = await match("throw new Error('nope')");
      expect(outcome).toMatchObject({ ok: false, matched: false, error: { name: 'Error', message: 'nope' } });
    });

    it('keeps the raw return as value', async () => {
      const outcome = await match("return 'maybe'");
      expect(outcome).toMatchObject({ value: 'maybe', matched: false });
    });
  });

  describe('errors', () => {
    it('reports a runtime error at its line and column in the script', async () => {
      const outcome = await run('const a = 1;\nconst b = 2;\n    foo();');
      expect(outcome.error).toEqual({ name: 'ReferenceError', message: 'foo is not defined', line: 3, column: 5 });
      expect(formatScriptError(outcome.error!)).toBe('ReferenceError: foo is not defined (line 3, column 5)');
    });

    it('reports an error thrown in a nested function at the throwing line', async () => {
      const outcome = await run('function inner() {\n  null.x;\n}\ninner();');
      expect(outcome.error).toMatchObject({ name: 'TypeError', line: 2, column: 8 });
    });

    it('reports the line of an error thrown after an await', async () => {
      const outcome = await run('await null;\n\nthrow new RangeError("late")');
      expect(outcome.error).toMatchObject({ name: 'RangeError', message: 'late', line: 3 });
    });

    it('reports a syntax error at run time with its position', async () => {
      const outcome = await run('let x = 1;\n  x = = 2;');
      expect(outcome).toMatchObject({
        ok: false,
        error: { name: 'SyntaxError', message: "Unexpected token '='", line: 2, column: 7 },
      });
    });

    it('reports thrown non-Errors readably', async () => {
      expect((await run('throw 42')).error).toEqual({ name: 'Error', message: 'the script threw 42' });
      expect((await run('throw null')).error).toEqual({ name: 'Error', message: 'the script threw null' });
      expect((await run('throw undefined')).error).toEqual({ name: 'Error', message: 'the script threw undefined' });
      expect((await run("throw 'plain text'")).error).toEqual({ name: 'Error', message: 'plain text' });
      expect((await run('throw { code: 7 }')).error).toEqual({ name: 'Error', message: 'the script threw {"code":7}' });
    });

    it('lets scripts define their own error classes in the frozen realm', async () => {
      const outcome = await run(`
        class DeployError extends Error { constructor(m) { super(m); this.name = 'DeployError'; } }
        const o = {}; o.toString = () => 'custom';
        throw new DeployError('failed ' + o);`);
      expect(outcome.error).toMatchObject({ name: 'DeployError', message: 'failed custom', line: 4 });
    });
  });

  describe('check', () => {
    it('accepts a valid script', () => {
      expect(sandbox.check('const x = await Promise.resolve(1);\nreturn x === 1;', 'match')).toBeNull();
      expect(sandbox.check('RESPONSE.status(201); return KAFKA', 'function')).toBeNull();
    });

    it('reports a syntax error at its line and column', () => {
      expect(sandbox.check('let x = 1;\n  x = = 2;', 'match')).toEqual({
        message: "Unexpected token '='",
        line: 2,
        column: 7,
      });
      expect(sandbox.check('return {\n  a: 1,\n  b: 2 3\n}', 'function')).toEqual({
        message: 'Unexpected number',
        line: 3,
        column: 8,
      });
    });

    it('reports an unclosed block at the end of the script', () => {
      expect(sandbox.check('if (true) {\n  return 1;', 'match')).toEqual({
        message: 'Unexpected end of input',
        line: 2,
        column: 12,
      });
    });

    it('rejects a body that closes the wrapper function early', () => {
      const result = sandbox.check('return 1\n})(); }); (function () { return (async function () {', 'match');
      expect(result?.message).toMatch(/closes its function body early/);
    });

    it('does not run the script', async () => {
      const host = recordingHost();
      expect(sandbox.check("KAFKA.publish('t', 1); while (true) {}", 'function')).toBeNull();
      expect(host.published).toEqual([]);
    });
  });

  describe('RESPONSE', () => {
    it('collects status, body and headers', async () => {
      const outcome = await run(`
        RESPONSE.status(202).header('X-Request-Id', FLX_MESSAGE_ID);
        RESPONSE.body({ accepted: true });
        return 'done'`);
      expect(outcome.response).toEqual({ status: 202, body: { accepted: true }, headers: { 'x-request-id': 'msg-1' } });
      expect(outcome.value).toBe('done');
    });

    it('is absent when the script does not use it', async () => {
      expect((await run('return 1')).response).toBeUndefined();
    });

    it('rejects a status outside 100–599', async () => {
      const outcome = await run('RESPONSE.status(42)');
      expect(outcome.error).toMatchObject({ name: 'RangeError', line: 1, column: 10 });
    });
  });

  describe('host calls', () => {
    it('publishes through the host and logs a summary', async () => {
      const { host, published } = recordingHost();
      const outcome = await sandbox.run(
        'function',
        "await KAFKA.publish('deploys', { sha: 'abc' }, { key: 'k1', headers: { source: 'hookline' } }); return 'sent'",
        scriptInput(),
        host,
      );
      expect(outcome).toMatchObject({ ok: true, value: 'sent' });
      expect(published).toEqual([
        { topic: 'deploys', value: { sha: 'abc' }, options: { key: 'k1', headers: { source: 'hookline' } } },
      ]);
      expect(outcome.logs).toEqual([
        expect.objectContaining({
          level: 'INFO',
          text: expect.stringMatching(/^KAFKA.publish to 'deploys' with key 'k1': ok in \d+ ms$/),
        }),
      ]);
    });

    it('makes HTTP requests through the host', async () => {
      const { host, requests } = recordingHost(async () => ({
        status: 201,
        headers: { 'Content-Type': 'application/json' },
        body: '{"id":7}',
      }));
      const outcome = await sandbox.run(
        'function',
        `const r = await HTTP.request({ method: 'post', url: 'https://ci.example.com/build', body: { branch: 'main' } });
         const f = await HTTP.fetch('https://ci.example.com/status', { headers: { accept: 'application/json' } });
         return { status: r.status, ok: r.ok, id: r.json().id, ct: r.headers['content-type'], fetched: (await f.json()).id, text: await f.text() }`,
        scriptInput(),
        host,
      );
      expect(outcome.value).toEqual({
        status: 201,
        ok: true,
        id: 7,
        ct: 'application/json',
        fetched: 7,
        text: '{"id":7}',
      });
      expect(requests[0]).toMatchObject({
        method: 'POST',
        url: 'https://ci.example.com/build',
        headers: { 'content-type': 'application/json' },
        body: '{"branch":"main"}',
      });
      expect(requests[0].timeoutMs).toBeLessThanOrEqual(sandbox.limits.timeoutMs);
      expect(requests[1]).toMatchObject({
        method: 'GET',
        url: 'https://ci.example.com/status',
        headers: { accept: 'application/json' },
      });
      expect(outcome.logs.map((line) => line.text)).toEqual([
        expect.stringMatching(/^HTTP POST https:\/\/ci.example.com\/build → 201 in \d+ ms$/),
        expect.stringMatching(/^HTTP GET https:\/\/ci.example.com\/status → 201 in \d+ ms$/),
      ]);
    });

    it('rejects with a clear error when the host lacks the callback', async () => {
      const outcome = await run("await KAFKA.publish('deploys', 1)");
      expect(outcome.error).toMatchObject({
        name: 'Error',
        message: 'KAFKA.publish is not available',
        line: 1,
        column: 13,
      });
      const http = await sandbox.run(
        'function',
        "try { await HTTP.fetch('https://x.test') } catch (e) { return e.message }",
        scriptInput(),
        {},
      );
      expect(http.value).toBe('HTTP.request is not available');
    });

    it('passes a host failure to the script as a catchable error', async () => {
      const host = recordingHost(async () => {
        throw new Error('connect ECONNREFUSED');
      }).host;
      const outcome = await sandbox.run(
        'function',
        "try { await HTTP.request({ url: 'https://down.test' }) } catch (e) { return e.message }",
        scriptInput(),
        host,
      );
      expect(outcome.value).toBe('HTTP request failed: connect ECONNREFUSED');
      expect(outcome.logs[0]).toMatchObject({
        level: 'WARNING',
        text: expect.stringMatching(/failed after \d+ ms: connect ECONNREFUSED/),
      });
    });

    it('finishes calls the script did not await before reporting', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const published: string[] = [];
      const host = {
        publish: async (topic: string) => {
          await gate;
          published.push(topic);
        },
      };
      const pending = sandbox.run(
        'function',
        "KAFKA.publish('fire-and-forget', 1); return 'returned'",
        scriptInput(),
        host,
      );
      setTimeout(release, 20);
      const outcome = await pending;
      expect(outcome.value).toBe('returned');
      expect(published).toEqual(['fire-and-forget']);
    });

    it('keeps log lines in order around host calls', async () => {
      const { host } = recordingHost();
      const outcome = await sandbox.run(
        'function',
        "LOG.info('one'); await KAFKA.publish('t', 1); LOG.info('two'); return 1",
        scriptInput(),
        host,
      );
      expect(outcome.logs.map((line) => line.text.split(' ')[0])).toEqual(['one', 'KAFKA.publish', 'two']);
    });

    it('masks secrets in host call summaries', async () => {
      const { host } = recordingHost();
      const properties = [{ name: 'TOKEN', value: 'tok-123', secret: true }];
      const outcome = await sandbox.run(
        'function',
        "await HTTP.fetch('https://x.test/?token=' + TOKEN)",
        scriptInput({ properties }),
        host,
      );
      expect(outcome.logs[0].text).toContain('https://x.test/?token=****');
    });
  });

  describe('reuse', () => {
    it('serves many runs concurrently with correct, separate results', async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          run('LOG.info(FLX_MESSAGE_ID); return FLX_MESSAGE_ID', scriptInput({ messageId: `m-${i}` })),
        ),
      );
      outcomes.forEach((outcome, i) => {
        expect(outcome.value).toBe(`m-${i}`);
        expect(outcome.logs.map((line) => line.text)).toEqual([`m-${i}`]);
      });
    });

    it('runs different scripts with the same isolates', async () => {
      const a = await run('return "a"');
      const b = await run('return "b"');
      const a2 = await run('return "a"');
      expect([a.value, b.value, a2.value]).toEqual(['a', 'b', 'a']);
    });

    it('rejects runs after dispose', async () => {
      const disposed = new ScriptSandbox();
      disposed.dispose();
      await expect(disposed.run('match', 'return true', scriptInput())).rejects.toThrow(/disposed/);
    });
  });
});

describe('ScriptSandbox limits', () => {
  const limits = {
    timeoutMs: 1000,
    cpuTimeMs: 250,
    memoryMb: 32,
    maxLogLines: 5,
    maxLogBytes: 200,
    maxOutputBytes: 1000,
  };
  const sandbox = new ScriptSandbox(limits, { maxIsolates: 1 });
  afterAll(() => sandbox.dispose());
  const run = (source: string, host?: Parameters<ScriptSandbox['run']>[3]) =>
    sandbox.run('function', source, scriptInput(), host);

  it('stops a busy loop at the CPU limit', async () => {
    // Wall-clock time to spare, so that on a busy machine the CPU limit is what stops it.
    const patient = new ScriptSandbox({ ...limits, timeoutMs: 60000 }, { maxIsolates: 1 });
    try {
      const outcome = await patient.run('function', 'while (true) {}', scriptInput());
      expect(outcome).toMatchObject({
        ok: false,
        error: { name: 'CpuLimitError', limit: 'cpu', message: 'script exceeded the CPU time limit of 250 ms' },
      });
      expect((await patient.run('function', 'return 1', scriptInput())).value).toBe(1);
    } finally {
      patient.dispose();
    }
  });

  it('times out a script waiting on a host call that never settles', async () => {
    const host = { httpRequest: () => new Promise<never>(() => undefined) };
    const outcome = await run("LOG.info('calling'); await HTTP.request({ url: 'https://slow.test' })", host);
    expect(outcome).toMatchObject({
      ok: false,
      error: { name: 'TimeoutError', limit: 'timeout', message: 'script timed out after 1000 ms' },
    });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(1000);
    expect(outcome.logs.map((line) => line.text)).toEqual(['calling']);
    expect((await run('return 2')).value).toBe(2);
  });

  it('stops a script at the memory limit', async () => {
    // CPU to spare, so that on a busy machine the memory limit is what stops it.
    const roomy = new ScriptSandbox({ ...limits, cpuTimeMs: 20000, timeoutMs: 20000 }, { maxIsolates: 1 });
    const bomb = 'const a = []; while (true) a.push(new Array(1e6).fill(a.length));';
    const outcome = await roomy.run('function', bomb, scriptInput());
    expect(outcome).toMatchObject({
      ok: false,
      error: { name: 'MemoryLimitError', limit: 'memory', message: 'script exceeded the memory limit of 32 MB' },
    });
    expect((await roomy.run('function', 'return 3', scriptInput())).value).toBe(3);
    roomy.dispose();
  });

  it('fails a run whose output is over the limit', async () => {
    const value = await run("return 'x'.repeat(2000)");
    expect(value).toMatchObject({ ok: false, value: null, error: { limit: 'output', name: 'OutputLimitError' } });
    const multiByte = await run("return 'é'.repeat(600)"); // 1200 bytes in 600 characters
    expect(multiByte.error).toMatchObject({
      limit: 'output',
      message: 'script output of 1202 bytes exceeds the limit of 1000 bytes',
    });
    const body = await run("RESPONSE.body('y'.repeat(2000)); return 1");
    expect(body.error?.limit).toBe('output');
  });

  it('cuts log output at the cap with one notice and keeps running', async () => {
    const lines = await run("for (let i = 0; i < 100; i++) LOG.info('line ' + i); return 'finished'");
    expect(lines).toMatchObject({ ok: true, value: 'finished' });
    expect(lines.logs).toHaveLength(6);
    expect(lines.logs[5]).toMatchObject({ level: 'WARNING', text: expect.stringMatching(/^log output truncated/) });
    const bytes = await run("LOG.info('a'.repeat(150)); LOG.info('b'.repeat(100)); LOG.info('c'); return 1");
    expect(bytes.logs.map((line) => line.text[0])).toEqual(['a', 'l']);
  });

  it('queues runs beyond the pool size', async () => {
    const outcomes = await Promise.all([1, 2, 3, 4].map((n) => run(`return ${n}`)));
    expect(outcomes.map((outcome) => outcome.value)).toEqual([1, 2, 3, 4]);
  });
});
