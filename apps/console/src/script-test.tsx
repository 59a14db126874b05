import { useState } from 'react';
import { api, ApiError, get, type MessageSummary, type Page } from './api';
import type { ScriptProblem } from './script-editor';
import { ErrorNote, formatTime, Json, useLoad } from './ui';

interface TestResult {
  ok: boolean;
  matched?: boolean;
  result: unknown;
  message: string | null;
  logs: Array<{ level: string; text: string; at: string }>;
  error: { name: string; message: string; line?: number; column?: number } | null;
  effects: Array<{ type: string; topic?: string; value?: unknown; method?: string; url?: string; body?: string }>;
  response: unknown;
  durationMs: number;
}

/** "name: value" lines, as headers are written. */
const parseHeaders = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .split('\n')
      .map((line) => line.match(/^\s*([^:\s]+)\s*:\s*(.*)$/))
      .filter((match): match is RegExpMatchArray => match !== null)
      .map((match) => [match[1], match[2].trim()]),
  );

/**
 * Runs the script as it is in the editor, saved or not, against a recent message or a request
 * written here (`POST /api/v1/{providers|functions}/:id/test`): nothing is stored or sent.
 */
export function ScriptTest({
  kind,
  id,
  script,
  details,
  defaultUri,
  onProblem,
}: {
  kind: 'providers' | 'functions';
  id: string;
  script: string;
  details: boolean;
  defaultUri: string;
  onProblem: (problem: ScriptProblem | null) => void;
}) {
  const recent = useLoad(
    async () => (details ? (await get<Page<MessageSummary>>('messages?limit=20')).items : []),
    [details],
  );
  const [source, setSource] = useState<'message' | 'request'>(details ? 'message' : 'request');
  const [messageId, setMessageId] = useState('');
  const [method, setMethod] = useState('POST');
  const [uri, setUri] = useState(defaultUri);
  const [headers, setHeaders] = useState('content-type: application/json');
  const [body, setBody] = useState('{}');
  const [result, setResult] = useState<TestResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const chosen = messageId || recent.data?.[0]?.id || '';

  const run = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    onProblem(null);
    try {
      const sample =
        source === 'message'
          ? { messageId: chosen }
          : { request: { method, uri, headers: parseHeaders(headers), body } };
      const outcome = await api<TestResult>('POST', `${kind}/${id}/test`, { script, ...sample });
      setResult(outcome);
      if (outcome.error?.line !== undefined) {
        onProblem({ line: outcome.error.line, column: outcome.error.column ?? 1, message: outcome.error.message });
      }
    } catch (caught) {
      if (caught instanceof ApiError && caught.line !== undefined) {
        onProblem({ line: caught.line, column: caught.column ?? 1, message: caught.message });
      }
      setError(
        caught instanceof ApiError && caught.status === 404 && caught.message.startsWith('Cannot POST')
          ? new Error('This server does not run script tests: they run where scripts run (npm start).')
          : caught,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card test" aria-labelledby={`${kind}-test-heading`}>
      <h2 id={`${kind}-test-heading`}>Test the script</h2>
      <p className="hint">
        Runs the script as it is above, saved or not, in the real sandbox. Nothing is stored; Kafka messages and HTTP
        requests are listed, not sent.
      </p>
      <fieldset>
        <legend className="visually-hidden">Sample</legend>
        {details && (
          <label className="switch">
            <input type="radio" checked={source === 'message'} onChange={() => setSource('message')} />
            Use a recent message
          </label>
        )}
        <label className="switch">
          <input type="radio" checked={source === 'request'} onChange={() => setSource('request')} />
          Write a request
        </label>
      </fieldset>
      {source === 'message' ? (
        recent.data && recent.data.length === 0 ? (
          <p className="empty">No messages yet: write a request instead.</p>
        ) : (
          <>
            <label htmlFor={`${kind}-test-message`}>Message</label>
            <select id={`${kind}-test-message`} value={chosen} onChange={(event) => setMessageId(event.target.value)}>
              {recent.data?.map((m) => (
                <option key={m.id} value={m.id}>
                  {formatTime(m.receivedAt)} · {m.status} · {m.method} {m.uri}
                </option>
              ))}
            </select>
          </>
        )
      ) : (
        <div className="request-fields">
          <label htmlFor={`${kind}-test-method`}>Method</label>
          <select id={`${kind}-test-method`} value={method} onChange={(event) => setMethod(event.target.value)}>
            {['POST', 'PUT', 'PATCH', 'GET', 'DELETE'].map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
          <label htmlFor={`${kind}-test-uri`}>URI</label>
          <input id={`${kind}-test-uri`} value={uri} onChange={(event) => setUri(event.target.value)} />
          <label htmlFor={`${kind}-test-headers`}>Headers (one "name: value" a line)</label>
          <textarea
            id={`${kind}-test-headers`}
            rows={3}
            value={headers}
            onChange={(event) => setHeaders(event.target.value)}
          />
          <label htmlFor={`${kind}-test-body`}>Body</label>
          <textarea id={`${kind}-test-body`} rows={5} value={body} onChange={(event) => setBody(event.target.value)} />
        </div>
      )}
      <div className="actions">
        <button type="button" onClick={run} disabled={busy || (source === 'message' && !chosen)}>
          Run test
        </button>
      </div>
      <ErrorNote error={error} />
      {result && (
        <div role="status" data-testid="test-result">
          <p>
            <b>{result.ok ? 'Succeeded' : 'Failed'}</b>
            {result.matched !== undefined ? ` · ${result.matched ? 'matched' : 'did not match'}` : ''} ·{' '}
            {result.durationMs} ms{result.message ? ` · ${result.message}` : ''}
          </p>
          {result.error && <pre className="code error-text">{result.error.message}</pre>}
          {result.result !== null && (
            <>
              <h3>Result</h3>
              <Json value={result.result} />
            </>
          )}
          <h3>Logs</h3>
          {result.logs.length === 0 ? (
            <p className="empty">No lines.</p>
          ) : (
            <ol className="log">
              {result.logs.map((line, index) => (
                <li key={index} className={`log-${line.level.toLowerCase()}`}>
                  <b>{line.level}</b> {line.text}
                </li>
              ))}
            </ol>
          )}
          {result.effects.length > 0 && (
            <>
              <h3>Would have (not performed)</h3>
              <ul>
                {result.effects.map((effect, index) => (
                  <li key={index} className="mono">
                    {effect.type === 'KAFKA.publish'
                      ? `KAFKA.publish to '${effect.topic}': ${JSON.stringify(effect.value)}`
                      : `HTTP.request ${effect.method} ${effect.url}${effect.body ? ` with ${effect.body.length} characters` : ''}`}
                  </li>
                ))}
              </ul>
            </>
          )}
          {result.response !== null && (
            <>
              <h3>RESPONSE</h3>
              <Json value={result.response} />
            </>
          )}
        </div>
      )}
    </section>
  );
}
