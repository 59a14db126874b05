// @ts-check
// Runs inside the isolate, as part of the runtime (see prelude.js): what only function scripts get.
// RESPONSE shapes the HTTP reply; KAFKA and HTTP are asynchronous calls into the host's HostApi.
// Each call hands the host the log lines written so far, so they survive a call that never returns.

/* exported createSideEffects */
function createSideEffects(hostCall, runtime) {
  'use strict';
  const { activeRun, writeLog, toText } = runtime;
  const { freeze, create, keys } = Object;
  const { stringify, parse } = JSON;
  const { isInteger } = Number;
  const NativeError = Error;

  // ---- RESPONSE ----

  function responseOf(run) {
    if (run.response === null) run.response = { status: undefined, bodyJson: undefined, headers: create(null) };
    return run.response;
  }

  const RESPONSE = freeze({
    status(code) {
      const run = activeRun('RESPONSE.status');
      if (!isInteger(code) || code < 100 || code > 599) {
        throw new RangeError('RESPONSE.status: code must be an integer from 100 to 599');
      }
      responseOf(run).status = code;
      return RESPONSE;
    },
    body(value) {
      const run = activeRun('RESPONSE.body');
      let json;
      try {
        json = stringify(value);
      } catch (error) {
        throw new TypeError(`RESPONSE.body: the value is not JSON-serialisable (${toText(error)})`);
      }
      responseOf(run).bodyJson = json;
      return RESPONSE;
    },
    header(name, value) {
      const run = activeRun('RESPONSE.header');
      if (typeof name !== 'string' || name === '')
        throw new TypeError('RESPONSE.header: name must be a non-empty string');
      responseOf(run).headers[name.toLowerCase()] = toText(value);
      return RESPONSE;
    },
  });

  // ---- KAFKA and HTTP ----

  function drainLogs(run) {
    const lines = run.logs;
    run.logs = [];
    return lines;
  }

  function callHost(run, op, label, payload) {
    if (run.finished) return Promise.reject(new NativeError(`${label} cannot be used after the script has finished`));
    // Created here so its stack points at the script line that made the call.
    const failure = new NativeError(`${label} failed`);
    const reply = hostCall.apply(undefined, [op, stringify(payload), drainLogs(run)], {
      arguments: { copy: true },
      result: { promise: true, copy: true },
    });
    const settled = reply.then(
      (result) => {
        if (result.summary) writeLog(run, result.ok ? 'INFO' : 'WARNING', result.summary);
        if (!result.ok) {
          failure.message = result.error;
          throw failure;
        }
        return result.value;
      },
      (error) => {
        failure.message = `${label} failed: ${toText(error && error.message)}`;
        throw failure;
      },
    );
    // The run waits for calls the script did not await, so their side effects are not cut short.
    run.pending.add(settled);
    const forget = () => run.pending.delete(settled);
    settled.then(forget, forget);
    return settled;
  }

  function stringRecord(label, value) {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object') throw new TypeError(`${label} must be an object of strings`);
    const record = {};
    for (const key of keys(value)) record[key] = toText(value[key]);
    return record;
  }

  const KAFKA = freeze({
    publish(topic, value, options) {
      const run = activeRun('KAFKA.publish');
      if (typeof topic !== 'string' || topic === '')
        throw new TypeError('KAFKA.publish: topic must be a non-empty string');
      const { key, headers } = options ?? {};
      if (key !== undefined && key !== null && typeof key !== 'string')
        throw new TypeError('KAFKA.publish: key must be a string');
      let valueJson;
      try {
        valueJson = stringify(value === undefined ? null : value);
      } catch (error) {
        throw new TypeError(`KAFKA.publish: the value is not JSON-serialisable (${toText(error)})`);
      }
      const message = {
        topic,
        valueJson,
        key: key ?? undefined,
        headers: stringRecord('KAFKA.publish: headers', headers),
      };
      return callHost(run, 'publish', 'KAFKA.publish', message).then(() => undefined);
    },
  });

  function httpRequestOf(label, request) {
    if (request === null || typeof request !== 'object') throw new TypeError(`${label}: the request must be an object`);
    const { url, method = 'GET', timeoutMs } = request;
    if (typeof url !== 'string' || url === '') throw new TypeError(`${label}: url must be a non-empty string`);
    if (typeof method !== 'string') throw new TypeError(`${label}: method must be a string`);
    if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !(timeoutMs > 0))) {
      throw new TypeError(`${label}: timeoutMs must be a positive number`);
    }
    const headers = stringRecord(`${label}: headers`, request.headers) ?? {};
    let body = request.body;
    if (body === null) body = undefined;
    if (body !== undefined && typeof body !== 'string') {
      body = stringify(body);
      const named = keys(headers).some((name) => name.toLowerCase() === 'content-type');
      if (!named) headers['content-type'] = 'application/json';
    }
    return { method: method.toUpperCase(), url, headers, body, timeoutMs };
  }

  const isOk = (status) => status >= 200 && status < 300;

  const HTTP = freeze({
    request(request) {
      const run = activeRun('HTTP.request');
      const call = httpRequestOf('HTTP.request', request);
      return callHost(run, 'http', 'HTTP.request', call).then((response) => ({
        status: response.status,
        ok: isOk(response.status),
        headers: response.headers,
        body: response.body,
        json: () => parse(response.body),
      }));
    },
    fetch(url, init) {
      const run = activeRun('HTTP.fetch');
      const call = httpRequestOf('HTTP.fetch', { ...(init ?? {}), url });
      return callHost(run, 'http', 'HTTP.fetch', call).then((response) => ({
        status: response.status,
        ok: isOk(response.status),
        headers: response.headers,
        text: () => Promise.resolve(response.body),
        json: () => Promise.resolve(response.body).then(parse),
      }));
    },
  });

  return { RESPONSE, KAFKA, HTTP };
}
