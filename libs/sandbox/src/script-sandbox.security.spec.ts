import { ScriptSandbox } from './script-sandbox';
import type { HostApi, SandboxLimitKind, ScriptOutcome } from './sandbox.types';
import { expectStoppedByLimit } from './testing/expect-limit';
import { recordingHost, scriptInput } from './testing/script-input.fixture';

// Hostile scripts. Each must end as a readable failure (or do nothing harmful), and the sandbox
// must serve the next ordinary run as if nothing had happened.
describe('ScriptSandbox against hostile scripts', () => {
  const limits = {
    timeoutMs: 1200,
    cpuTimeMs: 300,
    memoryMb: 32,
    maxLogLines: 50,
    maxLogBytes: 4096,
    maxOutputBytes: 4096,
  };
  // One isolate, so every attack and every check after it share the same isolate when it survives.
  const sandbox = new ScriptSandbox(limits, { maxIsolates: 1 });
  afterAll(() => sandbox.dispose());

  const run = (source: string, host?: HostApi) => sandbox.run('function', source, scriptInput(), host);

  async function expectHealthyAfterwards(target = sandbox): Promise<void> {
    const outcome = await target.run(
      'function',
      `return {
        value: FLX_MESSAGE_ID,
        polluted: [({}).polluted, ({}).x, Object.prototype.x, [].polluted, HTTP_HEADERS.polluted].filter((v) => v !== undefined),
        leaked: typeof leaked,
        prepare: typeof Error.prepareStackTrace,
      }`,
      scriptInput({ messageId: 'after' }),
    );
    expect(outcome).toMatchObject({
      ok: true,
      value: { value: 'after', polluted: [], leaked: 'undefined', prepare: 'undefined' },
    });
  }

  function expectFailure(outcome: ScriptOutcome, message: RegExp): void {
    expect(outcome.ok).toBe(false);
    expect(`${outcome.error?.name}: ${outcome.error?.message}`).toMatch(message);
  }

  afterEach(() => expectHealthyAfterwards());

  // On a busy machine a script burning CPU may reach the wall-clock limit (or, allocating, the
  // memory limit) before the CPU limit: each is containment, so each is accepted.
  const expectContained = (outcome: ScriptOutcome, ...kinds: SandboxLimitKind[]) =>
    expectStoppedByLimit(outcome, limits, ...kinds);

  describe('escaping to the host', () => {
    it('this.constructor.constructor', async () => {
      expectFailure(
        await run("return this.constructor.constructor('return process')()"),
        /TypeError: Cannot read properties of undefined/,
      );
    });

    it('Function constructor', async () => {
      expectFailure(await run("return Function('return process')()"), /ReferenceError: process is not defined/);
    });

    it('constructor of a host-made object', async () => {
      expectFailure(
        await run("return HTTP_HEADERS.constructor.constructor('return process')().env"),
        /ReferenceError: process is not defined/,
      );
      expectFailure(
        await run("return LOG.info.constructor('return require')()('fs')"),
        /ReferenceError: require is not defined/,
      );
    });

    it('eval', async () => {
      expectFailure(await run("return eval('process')"), /ReferenceError: process is not defined/);
      expectFailure(await run("return (0, eval)('require')"), /ReferenceError: require is not defined/);
    });

    it('dynamic import', async () => {
      expectFailure(
        await run("const fs = await import('fs'); return fs.readFileSync('/etc/passwd', 'utf8')"),
        /Not supported/,
      );
    });

    it('globalThis has nothing of Node', async () => {
      const outcome = await run(
        "return ['process', 'require', 'module', 'Buffer', 'global', 'setTimeout', 'fetch', 'SharedArrayBuffer', 'Atomics', 'WebAssembly'].filter((name) => name in globalThis)",
      );
      expect(outcome.value).toEqual([]);
    });
  });

  describe('leaking into the next run', () => {
    it('prototype pollution through host-made objects', async () => {
      expectFailure(
        await run('HTTP_HEADERS.__proto__.polluted = 1; Object.prototype.x = 1'),
        /TypeError: Cannot add property polluted, object is not extensible/,
      );
    });

    it('prototype pollution of Object.prototype and Array.prototype', async () => {
      expectFailure(await run('Object.prototype.x = 1'), /TypeError/);
      expectFailure(await run('Array.prototype.polluted = 1'), /TypeError/);
      expectFailure(
        await run("Object.defineProperty(Object.prototype, 'x', { value: 1 })"),
        /TypeError: Cannot define property x/,
      );
    });

    it('replacing built-ins', async () => {
      expectFailure(
        await run('JSON.parse = () => ({ hacked: true })'),
        /TypeError: Cannot assign to read only property 'parse'/,
      );
      expectFailure(await run('LOG.info = () => {}'), /TypeError/);
      expectFailure(await run('Array.prototype.push = function () {}'), /TypeError/);
    });

    it('globals', async () => {
      expectFailure(
        await run('globalThis.leaked = 1'),
        /TypeError: Cannot add property leaked, object is not extensible/,
      );
      expectFailure(await run('leaked = 1'), /ReferenceError: leaked is not defined/);
      expectFailure(await run("(0, eval)('var leaked = 1')"), /TypeError/);
      const indirectLet = await run("(0, eval)('let leaked = 1'); return 'declared'");
      expect(indirectLet.ok).toBe(true); // eval code keeps its let bindings to itself
    });

    it('a body that closes the wrapper to declare top-level state', async () => {
      const outcome = await run('return 1 })(); }); let leaked = 1; (function () { return (async function () {');
      expectFailure(outcome, /SyntaxError: the script closes its function body early/);
    });

    it('RegExp statics remembering the last match', async () => {
      await run("/secret-(\\w+)/.exec('secret-hunter2')");
      const outcome = await run('return [RegExp.$1, RegExp.lastMatch, RegExp.input]');
      expect(outcome.value).toEqual([null, null, null]);
    });

    it('state on shared runtime objects', async () => {
      expectFailure(await run('GITHUB.stash = FLX_PRISTINE_PAYLOAD'), /TypeError/);
      expectFailure(await run('PROPERTIES.__proto__.stash = 1'), /TypeError/);
    });

    it('previous run data through the globals', async () => {
      await sandbox.run('function', 'return 1', scriptInput({ body: Buffer.from('{"secret":"from run one"}') }));
      const outcome = await run('return FLX_PRISTINE_PAYLOAD');
      expect(outcome.value).toBe('{}');
    });
  });

  describe('stack trace tampering', () => {
    it('Error.prepareStackTrace', async () => {
      expectFailure(
        await run(
          'Error.prepareStackTrace = (e, frames) => frames.map((f) => f.getFunction()); return new Error().stack',
        ),
        /TypeError: Cannot add property prepareStackTrace, object is not extensible/,
      );
    });

    it('Error.captureStackTrace and stackTraceLimit', async () => {
      expectFailure(await run('Error.stackTraceLimit = 0'), /TypeError/);
      const outcome = await run('const o = {}; Error.captureStackTrace(o); return typeof o.stack');
      expect(outcome.value).toBe('string');
    });
  });

  describe('blocking', () => {
    it('Atomics.wait on shared memory', async () => {
      expectFailure(
        await run('Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)'),
        /ReferenceError: Atomics is not defined/,
      );
    });

    it('an endless loop', async () => {
      expectContained(await run('while (true) {}'), 'cpu', 'timeout');
    });

    it('an endless loop in a promise callback', async () => {
      expectContained(await run('await Promise.resolve().then(() => { while (true) {} })'), 'cpu', 'timeout');
    });

    it('an endless loop after an awaited host call', async () => {
      const { host } = recordingHost();
      expectContained(await run("await KAFKA.publish('t', 1); for (;;) {}", host), 'cpu', 'timeout');
    });

    it('an endless chain of microtasks', async () => {
      expectContained(
        await run('const spin = () => Promise.resolve().then(spin); spin(); return 1'),
        'cpu',
        'timeout',
        'memory',
      );
    });

    it('a host call that never settles', async () => {
      const host: HostApi = { httpRequest: () => new Promise(() => undefined) };
      expectFailure(
        await run("await HTTP.request({ url: 'https://never.test' })", host),
        /TimeoutError: script timed out after 1200 ms/,
      );
    });

    it('a promise that never settles', async () => {
      expectFailure(await run('await new Promise(() => {})'), /TimeoutError/);
    });

    it('an endless loop of host callbacks, which costs the isolate little CPU', async () => {
      expectContained(await run("for (;;) HMAC.sha256('x', 'k')"), 'cpu', 'timeout', 'memory');
    });

    it('an endless loop in a getter of the returned value', async () => {
      expectContained(await run('return { get x() { for (;;) {} } }'), 'cpu', 'timeout');
    });
  });

  describe('exhausting memory', () => {
    // CPU to spare, so that on a busy machine the memory limit is what stops these.
    const roomy = new ScriptSandbox({ ...limits, cpuTimeMs: 20000, timeoutMs: 20000 }, { maxIsolates: 1 });
    afterAll(() => roomy.dispose());
    afterEach(() => expectHealthyAfterwards(roomy));
    const bomb = (source: string) => roomy.run('function', source, scriptInput());

    it("a huge string: 'x'.repeat(2 ** 28)", async () => {
      expectFailure(
        await bomb("const s = 'x'.repeat(2 ** 28); return s.indexOf('y')"),
        /MemoryLimitError: script exceeded the memory limit of 32 MB/,
      );
    });

    it('a growing array', async () => {
      expectFailure(
        await bomb('const a = []; while (true) a.push(new Array(1e6).fill(a.length));'),
        /MemoryLimitError/,
      );
    });

    it('a huge ArrayBuffer', async () => {
      expectFailure(await bomb('return new Uint8Array(2 ** 30).length'), /(RangeError|MemoryLimitError)/);
    });

    it('deep recursion', async () => {
      expectFailure(
        await run('const f = (n) => f(n + 1) + 1; return f(0)'),
        /RangeError: Maximum call stack size exceeded/,
      );
    });
  });

  describe('flooding output', () => {
    it('huge log output is cut, not fatal', async () => {
      // A million calls take a busy machine more than the 300 ms of CPU above: this is about the log.
      const patient = new ScriptSandbox({ ...limits, cpuTimeMs: 20000, timeoutMs: 20000 }, { maxIsolates: 1 });
      const outcome = await patient
        .run('function', "for (let i = 0; i < 1e6; i++) LOG.info('spam ' + i); return 'survived'", scriptInput())
        .finally(() => patient.dispose());
      expect(outcome).toMatchObject({ ok: true, value: 'survived' });
      expect(outcome.logs.length).toBeLessThanOrEqual(limits.maxLogLines + 1);
      expect(outcome.logs.at(-1)?.text).toMatch(/^log output truncated/);
    });

    it('one huge log line is dropped with a notice', async () => {
      const outcome = await run("LOG.info('x'.repeat(1e7)); return 1");
      expect(outcome.logs.map((line) => line.text)).toEqual([expect.stringMatching(/^log output truncated/)]);
    });

    it('a huge return value', async () => {
      expectFailure(
        await run("return 'x'.repeat(1e7)"),
        /OutputLimitError: script output exceeds the limit of 4096 bytes/,
      );
      expectFailure(await run('return Array.from({ length: 1e5 }, (_, i) => i)'), /OutputLimitError/);
    });

    it('a huge message is cut', async () => {
      const outcome = await run("LOG.setMessage('m'.repeat(1e6)); return 1");
      expect(outcome.message).toHaveLength(limits.maxLogBytes);
    });
  });

  describe('odd throws', () => {
    it.each([
      ['throw 42', 'the script threw 42'],
      ['throw null', 'the script threw null'],
      ['throw Symbol("s")', 'the script threw Symbol(s)'],
      ['throw { get message() { throw new Error("again") } }', 'the script threw [object Object]'],
      ['throw new Proxy({}, { getPrototypeOf() { throw new Error("trap") } })', 'the script threw [object Object]'],
    ])('%s', async (source, message) => {
      const outcome = await run(source);
      expect(outcome).toMatchObject({ ok: false, error: { name: 'Error', message } });
    });

    it('an Error whose name getter throws', async () => {
      const outcome = await run(
        "const e = new Error('x'); Object.defineProperty(e, 'name', { get() { throw 1 } }); throw e",
      );
      expect(outcome.ok).toBe(false);
      expect(outcome.error?.message).toMatch(/the script threw/);
    });
  });

  describe('abusing host helpers', () => {
    it('HMAC with bad arguments throws a TypeError the script can see', async () => {
      expectFailure(await run("return HMAC.sha256({}, 'k')"), /TypeError: HMAC.sha256: data must be a string/);
      expectFailure(
        await run("return HMAC.sha256('d', 'k', 'latin1')"),
        /TypeError: HMAC.sha256: encoding must be 'hex' or 'base64'/,
      );
    });

    it('provider checks with odd arguments are false, not errors', async () => {
      const outcome = await run(
        'return [GITHUB.verify(), GITHUB.verify({ toString() { return "s" } }), STRIPE.verify("s", -1), AZURE_DEVOPS.verifyHeader(null, "x")]',
      );
      expect(outcome.value).toEqual([false, false, false, false]);
    });

    it('host calls after the script has finished have no effect', async () => {
      const { host, published } = recordingHost();
      const outcome = await run("return { later: () => KAFKA.publish('late', 1) }", host);
      expect(outcome.ok).toBe(true);
      expect(published).toEqual([]);
    });
  });
});
