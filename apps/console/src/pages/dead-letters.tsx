import { useState, type FormEvent } from 'react';
import { api, ApiError, get, query, type DeadLetter, type DeadLetterRetry, type Page, type Session } from '../api';
import { ErrorNote, formatTime, useLoad } from '../ui';

/** Records the matcher or an executor gave up on, newest first, with their retry (operators). */
export function DeadLettersPage() {
  const [messageId, setMessageId] = useState('');
  const [applied, setApplied] = useState('');
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const cursor = cursors[cursors.length - 1];
  const page = useLoad(
    () => get<Page<DeadLetter>>(`dead-letters?${query({ messageId: applied, cursor, limit: '50' })}`),
    [applied, cursor],
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setApplied(messageId.trim());
    setCursors([null]);
  };
  return (
    <section aria-labelledby="dead-letters-heading">
      <h1 id="dead-letters-heading">Dead letters</h1>
      <p className="hint">
        Records a consumer could not handle within its bounded redelivery. Retrying one about a message resubmits the
        message; any other record is published again to its topic. Each is retried once.
      </p>
      <form className="filters" onSubmit={submit} aria-label="Filter dead letters">
        <div className="grow">
          <label htmlFor="dead-letters-message">Message id</label>
          <input
            id="dead-letters-message"
            value={messageId}
            placeholder="019abf61-7f00-7a1b-8c2d-3e4f5a6b7c8d"
            onChange={(event) => setMessageId(event.target.value)}
          />
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            Apply
          </button>
          <button
            type="button"
            onClick={() => {
              setMessageId('');
              setApplied('');
              setCursors([null]);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <ErrorNote error={page.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Failed</th>
              <th scope="col">Group</th>
              <th scope="col">Source topic</th>
              <th scope="col">Partition / offset</th>
              <th scope="col">Message</th>
              <th scope="col">Attempts</th>
              <th scope="col">Error</th>
              <th scope="col">Retried</th>
            </tr>
          </thead>
          <tbody>
            {page.data?.items.map((deadLetter) => (
              <tr key={deadLetter.id} data-testid="dead-letter-row">
                <td>
                  <a href={`#/dead-letters/${deadLetter.id}`}>{formatTime(deadLetter.failedAt)}</a>
                </td>
                <td className="mono">{deadLetter.groupId}</td>
                <td className="mono">{deadLetter.sourceTopic}</td>
                <td className="mono">
                  {deadLetter.partition} / {deadLetter.offset}
                </td>
                <td>
                  <MessageLink id={deadLetter.messageId} />
                </td>
                <td>{deadLetter.attempts}</td>
                <td className="error-text">{deadLetter.error}</td>
                <td>
                  <Retried deadLetter={deadLetter} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {page.data && page.data.items.length === 0 && <p className="empty">No dead letters.</p>}
      </div>
      <nav className="pager" aria-label="Pages of dead letters">
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <button
          type="button"
          disabled={!page.data?.nextCursor}
          onClick={() => page.data?.nextCursor && setCursors([...cursors, page.data.nextCursor])}
        >
          Older
        </button>
      </nav>
    </section>
  );
}

/** One dead letter: what failed and why, the record itself (with `details`), and its retry. */
export function DeadLetterPage({ id, session }: { id: string; session: Session }) {
  const deadLetter = useLoad(() => get<DeadLetter>(`dead-letters/${id}`), [id]);
  const [result, setResult] = useState<DeadLetterRetry | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const data = deadLetter.data;

  const retry = async () => {
    setError(null);
    setBusy(true);
    try {
      setResult(await api<DeadLetterRetry>('POST', `dead-letters/${id}/retry`));
      deadLetter.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  if (deadLetter.error) return <ErrorNote error={deadLetter.error} />;
  if (!data) return <p className="loading">Loading…</p>;
  return (
    <section aria-labelledby="dead-letter-heading">
      <p>
        <a href="#/dead-letters">← Dead letters</a>
      </p>
      <div className="page-head">
        <h1 id="dead-letter-heading">
          Dead letter of <span className="mono">{data.groupId}</span>
        </h1>
        <button type="button" className="primary" onClick={retry} disabled={busy}>
          Retry
        </button>
      </div>
      <div aria-live="polite">
        {result && (
          <p role="status" data-testid="retry-result">
            {result.action === 'resubmitted' ? (
              <>
                Retried: the message was resubmitted as run {result.run}.{' '}
                {data.messageId && <a href={`#/messages/${data.messageId}`}>Follow it</a>}
              </>
            ) : (
              'Retried: the record was published again to its topic.'
            )}
          </p>
        )}
      </div>
      <ErrorNote error={error instanceof ApiError ? retryError(error) : error} />
      <dl className="facts">
        <dt>Failed</dt>
        <dd>{formatTime(data.failedAt)}</dd>
        <dt>Source</dt>
        <dd className="mono">
          {data.sourceTopic}, partition {data.partition}, offset {data.offset}
        </dd>
        <dt>Message</dt>
        <dd>
          <MessageLink id={data.messageId} />
        </dd>
        <dt>Attempts</dt>
        <dd>{data.attempts}</dd>
        <dt>Error</dt>
        <dd className="error-text mono">{data.error}</dd>
        <dt>Retried</dt>
        <dd>
          <Retried deadLetter={data} />
        </dd>
      </dl>
      <h2>Headers</h2>
      {session.details && data.headers ? (
        Object.keys(data.headers).length === 0 ? (
          <p className="empty">No headers.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <tbody>
                {Object.entries(data.headers).map(([name, value]) => (
                  <tr key={name}>
                    <th scope="row" className="mono">
                      {name}
                    </th>
                    <td className="mono">{value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : (
        <NoDetails />
      )}
      <h2>Value</h2>
      {session.details && data.value !== undefined ? (
        data.value === null ? (
          <p className="empty">The record had no value.</p>
        ) : (
          <pre className="code" data-testid="dead-letter-value">
            {decodeValue(data.value)}
          </pre>
        )
      ) : (
        <NoDetails />
      )}
    </section>
  );
}

/** The 409s say what happened in the API's words; the console adds what to do. */
function retryError(error: ApiError): ApiError | Error {
  if (error.code === 'already_retried') return new Error(`Already retried: ${error.message}.`);
  if (error.code === 'message_busy') {
    return new Error(`Its message is still being processed: ${error.message}. Retry once it has finished.`);
  }
  return error;
}

/** The record as UTF-8 text, pretty-printed when it is JSON. */
function decodeValue(base64: string): string {
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  const text = new TextDecoder().decode(bytes);
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function NoDetails() {
  return <p className="empty">Hidden: this token has no details permission.</p>;
}

function MessageLink({ id }: { id: string | null }) {
  return id ? (
    <a className="mono" href={`#/messages/${id}`}>
      {id.slice(0, 8)}…<span className="visually-hidden"> message {id}</span>
    </a>
  ) : (
    <span>—</span>
  );
}

function Retried({ deadLetter }: { deadLetter: DeadLetter }) {
  return deadLetter.retriedAt ? (
    <span>
      {formatTime(deadLetter.retriedAt)} by {deadLetter.retriedBy}
    </span>
  ) : (
    <span className="hint">not yet</span>
  );
}
