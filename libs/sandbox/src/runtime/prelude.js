// @ts-check
// Runs inside the isolate, once per context: defines every global a Hookline script sees, then
// freezes the realm (lockdown.js). Per-run data is reached through `current`, which the runner
// points at a fresh state object for each run, so shared objects hold nothing of any run.
//
// The host hands in four bridges: three synchronous callbacks (HMAC, constant-time compare,
// provider signature checks — all computed with node:crypto on the host, over the raw body; see
// verification.js) and a Reference for the asynchronous side effects of function scripts
// (KAFKA.publish, HTTP.request; see side-effects.js). The four files share one closure.

/* exported install */
/* global hardenRealm, createVerification, createSideEffects */
function install(hostHmac, hostEquals, hostVerify, hostCall) {
  'use strict';
  const { defineProperty, freeze } = Object;
  const { stringify, parse } = JSON;
  const NativeDate = Date;
  const NativeError = Error;
  const NativeSet = Set;

  /** The state of the run in progress, or null between runs. */
  let current = null;

  function createRun(input, body) {
    return {
      input,
      body,
      limits: input.limits,
      vars: {
        FLX_MESSAGE_ID: input.messageId,
        FLX_PRISTINE_PAYLOAD: body,
        FLX_REMOTE_ADDR: input.remoteAddr,
        FLX_REMOTE_HOST: input.remoteHost,
        FLX_TRY: input.try,
        HTTP_HEADERS: input.headers,
        QUERY_PARAMS: input.query,
        URI: input.uri,
        METHOD: input.method,
        PROPERTIES: input.properties,
        PAYLOAD: undefined,
      },
      payloadParsed: false,
      logs: [],
      logLines: 0,
      logBytes: 0,
      logFull: false,
      message: null,
      response: null,
      pending: new NativeSet(),
      finished: false,
    };
  }

  function activeRun(label) {
    if (current === null) throw new NativeError(`${label} cannot be used after the script has finished`);
    return current;
  }

  // ---- text helpers ----

  function toText(value) {
    if (typeof value === 'string') return value;
    try {
      if (value instanceof NativeError) return `${value.name}: ${value.message}`;
      const json = stringify(value);
      return json === undefined ? String(value) : json;
    } catch {
      try {
        return String(value);
      } catch {
        return '[unprintable value]';
      }
    }
  }

  function utf8Length(text) {
    let bytes = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x80) bytes += 1;
      else if (code < 0x800) bytes += 2;
      else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        const next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          bytes += 4;
          i++;
        } else bytes += 3;
      } else bytes += 3;
    }
    return bytes;
  }

  const nowIso = () => new NativeDate().toISOString();

  // ---- LOG ----

  function writeLog(run, level, text) {
    if (run === null || run.finished || run.logFull) return;
    const { maxLogLines, maxLogBytes } = run.limits;
    // Each UTF-16 unit is at least one UTF-8 byte, so long texts are over without counting.
    const bytes = text.length > maxLogBytes ? Infinity : utf8Length(text);
    if (run.logLines >= maxLogLines || run.logBytes + bytes > maxLogBytes) {
      run.logFull = true;
      const notice = `log output truncated: the limit of ${maxLogLines} lines or ${maxLogBytes} bytes was reached, further output was dropped`;
      run.logs.push(['WARNING', notice, nowIso()]);
      return;
    }
    run.logLines += 1;
    run.logBytes += bytes;
    run.logs.push([level, text, nowIso()]);
  }

  const logAt =
    (level) =>
    (...parts) => {
      // Checked before formatting: a script spamming a full log must not pay for every line.
      if (current === null || current.logFull) return;
      writeLog(current, level, parts.map(toText).join(' '));
    };

  const LOG = freeze({
    fine: logAt('FINE'),
    info: logAt('INFO'),
    warning: logAt('WARNING'),
    severe: logAt('SEVERE'),
    setMessage(text) {
      const run = activeRun('LOG.setMessage');
      const message = toText(text);
      run.message = message.length > run.limits.maxLogBytes ? message.slice(0, run.limits.maxLogBytes) : message;
    },
  });

  const console = freeze({
    log: LOG.info,
    info: LOG.info,
    debug: LOG.fine,
    trace: LOG.fine,
    warn: LOG.warning,
    error: LOG.severe,
  });

  // ---- PAYLOAD and the other per-run globals ----

  function payloadOf(run) {
    if (run === null) return undefined;
    if (!run.payloadParsed) {
      // Parsed on first use only: most match scripts never look at the body.
      run.payloadParsed = true;
      if (run.body === '') run.vars.PAYLOAD = '';
      else {
        try {
          // A byte order mark is not JSON whitespace, but senders do prepend one.
          run.vars.PAYLOAD = parse(run.body.charCodeAt(0) === 0xfeff ? run.body.slice(1) : run.body);
        } catch {
          run.vars.PAYLOAD = run.body;
        }
      }
    }
    return run.vars.PAYLOAD;
  }

  const runGlobals = [
    'FLX_MESSAGE_ID',
    'FLX_PRISTINE_PAYLOAD',
    'FLX_REMOTE_ADDR',
    'FLX_REMOTE_HOST',
    'FLX_TRY',
    'HTTP_HEADERS',
    'QUERY_PARAMS',
    'URI',
    'METHOD',
    'PROPERTIES',
  ];
  for (const name of runGlobals) {
    defineProperty(globalThis, name, {
      get: () => (current === null ? undefined : current.vars[name]),
      set: (value) => {
        if (current !== null) current.vars[name] = value;
      },
      enumerable: true,
    });
  }
  defineProperty(globalThis, 'PAYLOAD', {
    get: () => payloadOf(current),
    set: (value) => {
      if (current === null) return;
      current.payloadParsed = true;
      current.vars.PAYLOAD = value;
    },
    enumerable: true,
  });

  const verification = createVerification(
    { hostHmac, hostEquals, hostVerify },
    { currentRun: () => current, payloadOf },
  );
  const { RESPONSE, KAFKA, HTTP } = createSideEffects(hostCall, { activeRun, writeLog, toText });

  // ---- running a script ----

  const positionPattern = /hookline-script\.js:(\d+):(\d+)/g;

  /** The innermost frame in the user's script; line 0 is the wrapper around it. */
  function positionIn(stack) {
    const pattern = new RegExp(positionPattern);
    for (let match = pattern.exec(stack); match !== null; match = pattern.exec(stack)) {
      const line = Number(match[1]);
      if (line >= 1) return { line, column: Number(match[2]) };
    }
    return {};
  }

  function describeError(thrown) {
    try {
      if (thrown instanceof NativeError) {
        const { line, column } = positionIn(String(thrown.stack));
        return { name: String(thrown.name || 'Error'), message: String(thrown.message), line, column };
      }
    } catch {
      // An error whose properties throw is reported by what it is below.
    }
    if (typeof thrown === 'string') return { name: 'Error', message: thrown };
    return { name: 'Error', message: `the script threw ${toText(thrown)}` };
  }

  async function settle(run) {
    while (run.pending.size > 0) await Promise.allSettled([...run.pending]);
  }

  /** Serialises what the run produced; the value and response body stay separate JSON texts. */
  function envelope(run, value, thrown) {
    let error = thrown;
    let valueJson = null;
    const { maxOutputBytes } = run.limits;
    if (error === null && typeof value === 'string' && value.length > maxOutputBytes) {
      // Over the limit whatever its encoding; spares serialising a huge string just to say so.
      error = { name: 'OutputLimitError', message: '', limit: 'output' };
    } else if (error === null && value !== undefined) {
      try {
        valueJson = stringify(value);
        if (valueJson === undefined) {
          valueJson = null;
          error = {
            name: 'TypeError',
            message: `the script returned a ${typeof value}, which is not JSON-serialisable`,
          };
        }
      } catch (cause) {
        error = {
          name: 'TypeError',
          message: `the script returned a value that is not JSON-serialisable (${toText(cause)})`,
        };
      }
    }
    const response = run.response;
    let bodyJson = response === null || response.bodyJson === undefined ? null : response.bodyJson;
    // Exact UTF-8 sizes are checked on the host; this only keeps huge texts from being copied out.
    if ((valueJson === null ? 0 : valueJson.length) + (bodyJson === null ? 0 : bodyJson.length) > maxOutputBytes) {
      valueJson = null;
      bodyJson = null;
      if (error === null) error = { name: 'OutputLimitError', message: '', limit: 'output' };
    }
    const meta = {
      error,
      message: run.message,
      logs: run.logs,
      response: response === null ? null : { status: response.status, headers: response.headers },
    };
    return [stringify(meta), valueJson, bodyJson];
  }

  async function run(factory, input, body) {
    const state = createRun(input, body);
    current = state;
    try {
      const extra = input.kind === 'function' ? [RESPONSE, KAFKA, HTTP] : [];
      let value;
      let error = null;
      try {
        value = await factory(...extra, ...input.params);
      } catch (thrown) {
        error = describeError(thrown);
      }
      await settle(state);
      return envelope(state, value, error);
    } finally {
      state.finished = true;
      if (current === state) current = null;
    }
  }

  const globals = { LOG, ...verification };
  for (const name of Object.keys(globals)) defineProperty(globalThis, name, { value: globals[name], enumerable: true });
  // isolated-vm's own console writes nowhere useful; scripts' console goes to the run's log.
  defineProperty(globalThis, 'console', { value: console, writable: false, configurable: false, enumerable: false });

  hardenRealm([RESPONSE, KAFKA, HTTP]);
  return { run, globalNames: Object.getOwnPropertyNames(globalThis) };
}
