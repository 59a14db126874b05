import { useEffect, useState } from 'react';
import {
  api,
  ApiError,
  get,
  payload,
  roleAllows,
  type Execution,
  type MessageDetail,
  type ScriptLogLine,
  type Session,
} from '../api';
import { ErrorNote, formatBytes, formatTime, Json, StatusBadge, Tabs, useLoad } from '../ui';

const BUSY = ['RECEIVED', 'PROCESSING'];

export function MessagePage({ id, session }: { id: string; session: Session }) {
  const message = useLoad(() => get<MessageDetail>(`messages/${id}`), [id]);
  const [resubmitError, setResubmitError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const data = message.data;

  // Follow a message that is still running until it has finished.
  useEffect(() => {
    if (!data || !BUSY.includes(data.status)) return;
    const timer = setTimeout(message.reload, 1000);
    return () => clearTimeout(timer);
  }, [data]);

  const resubmit = async () => {
    setResubmitError(null);
    try {
      const run = await api<{ run: number }>('POST', `messages/${id}/resubmit`);
      setNotice(`Resubmitted as run ${run.run}.`);
      message.reload();
    } catch (caught) {
      setResubmitError(caught);
    }
  };

  if (message.error) return <ErrorNote error={message.error} />;
  if (!data) return <p className="loading">Loading…</p>;
  return (
    <section aria-labelledby="message-heading">
      <p>
        <a href="#/messages">← Messages</a>
      </p>
      <div className="page-head">
        <h1 id="message-heading">
          <span className="mono">
            {data.method} {data.uri}
          </span>{' '}
          <StatusBadge status={data.status} />
        </h1>
        {roleAllows(session.role, 'operator') && (
          <button type="button" className="primary" onClick={resubmit} disabled={BUSY.includes(data.status)}>
            Resubmit
          </button>
        )}
      </div>
      <dl className="facts">
        <dt>Received</dt>
        <dd>{formatTime(data.receivedAt)}</dd>
        <dt>Provider</dt>
        <dd>{data.providerId ? <a href={`#/providers/${data.providerId}`}>{data.providerName}</a> : '—'}</dd>
        <dt>Runs</dt>
        <dd>{data.run + 1}</dd>
        {data.message && (
          <>
            <dt>Message</dt>
            <dd>{data.message}</dd>
          </>
        )}
        {data.duplicateOf && (
          <>
            <dt>Duplicate of</dt>
            <dd>
              <a href={`#/messages/${data.duplicateOf}`}>{data.duplicateOf}</a>
            </dd>
          </>
        )}
      </dl>
      {notice && <p role="status">{notice}</p>}
      <ErrorNote error={resubmitError} />
      <Tabs
        tabs={[
          { id: 'executions', label: 'Executions', content: () => <Executions executions={data.executions} /> },
          { id: 'logs', label: 'Logs', content: () => <Logs message={data} /> },
          { id: 'request', label: 'Request', content: () => <Request message={data} /> },
          {
            id: 'payload',
            label: 'Payload',
            content: () => <Payload id={data.id} allowed={session.details} />,
          },
        ]}
      />
    </section>
  );
}

function Executions({ executions }: { executions: Execution[] }) {
  if (executions.length === 0) return <p className="empty">No function ran for this message.</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Function</th>
            <th scope="col">Status</th>
            <th scope="col">Duration</th>
            <th scope="col">Message</th>
            <th scope="col">Result or error</th>
            <th scope="col">Resubmitted by</th>
          </tr>
        </thead>
        <tbody>
          {executions.map((execution) => (
            <tr key={execution.id}>
              <td>
                {execution.run}
                {execution.try > 1 ? `, try ${execution.try}` : ''}
                {execution.attempt > 1 ? ` (attempt ${execution.attempt})` : ''}
              </td>
              <td>
                <a href={`#/functions/${execution.functionId}`}>{execution.functionName}</a>
              </td>
              <td>
                <StatusBadge status={execution.status} />
              </td>
              <td>{execution.durationMs === null ? '—' : `${execution.durationMs} ms`}</td>
              <td>
                {execution.message ?? ''}
                {execution.dueAt ? `Retry at ${new Date(execution.dueAt).toLocaleString()}` : ''}
              </td>
              <td>
                {execution.error ? (
                  <pre className="code error-text">{execution.error}</pre>
                ) : execution.result === null || execution.result === undefined ? (
                  ''
                ) : (
                  <Json value={execution.result} />
                )}
              </td>
              <td>{execution.resubmittedBy ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LogLines({ lines }: { lines: ScriptLogLine[] }) {
  if (lines.length === 0) return <p className="empty">No lines.</p>;
  return (
    <ol className="log">
      {lines.map((line, index) => (
        <li key={index} className={`log-${line.level.toLowerCase()}`}>
          <time dateTime={line.at}>{new Date(line.at).toLocaleTimeString()}</time> <b>{line.level}</b> {line.text}
        </li>
      ))}
    </ol>
  );
}

function Logs({ message }: { message: MessageDetail }) {
  return (
    <div>
      <h2>Match scripts</h2>
      <LogLines lines={message.matchLog} />
      {message.executions.map((execution) => (
        <div key={execution.id}>
          <h2>
            {execution.functionName} (run {execution.run})
          </h2>
          <LogLines lines={execution.logs} />
        </div>
      ))}
    </div>
  );
}

function Request({ message }: { message: MessageDetail }) {
  return (
    <div>
      <dl className="facts">
        <dt>Method</dt>
        <dd>{message.method}</dd>
        <dt>URI</dt>
        <dd className="mono">{message.uri}</dd>
        <dt>Remote address</dt>
        <dd className="mono">{message.remoteAddr}</dd>
        <dt>Content type</dt>
        <dd className="mono">{message.contentType ?? '—'}</dd>
      </dl>
      {message.headers === undefined ? (
        <p className="hint">This token has no details permission: headers and query strings are not shown.</p>
      ) : (
        <>
          <h2>Query</h2>
          <NameValues values={message.query ?? {}} />
          <h2>Headers</h2>
          <NameValues values={message.headers} />
        </>
      )}
    </div>
  );
}

/** Header values that carry credentials are masked: a screen share should not leak them. */
const SECRET_HEADER = /authorization|signature|token|secret|cookie|api-?key|password/i;

function NameValues({ values }: { values: Record<string, string | string[]> }) {
  const entries = Object.entries(values);
  if (entries.length === 0) return <p className="empty">None.</p>;
  return (
    <table className="pairs">
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name}>
            <th scope="row" className="mono">
              {name}
            </th>
            <td className="mono">
              <Masked secret={SECRET_HEADER.test(name)} value={Array.isArray(value) ? value.join(', ') : value} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Masked({ secret, value }: { secret: boolean; value: string }) {
  const [shown, setShown] = useState(!secret);
  if (shown) return <>{value}</>;
  return (
    <>
      ••••••••{' '}
      <button type="button" className="link" onClick={() => setShown(true)}>
        Show
      </button>
    </>
  );
}

function Payload({ id, allowed }: { id: string; allowed: boolean }) {
  const [mode, setMode] = useState<'pretty' | 'raw'>('pretty');
  const body = useLoad(async () => (allowed ? payload(id) : null), [id, allowed]);
  if (!allowed) return <p className="hint">This token has no details permission: the payload is not shown.</p>;
  if (body.error) return <ErrorNote error={body.error instanceof ApiError ? body.error : new Error('load failed')} />;
  if (!body.data) return <p className="loading">Loading…</p>;
  const { bytes, contentType } = body.data;
  const text = new TextDecoder().decode(bytes);
  let pretty: string | null = null;
  try {
    pretty = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    pretty = null;
  }
  const download = () => {
    const url = URL.createObjectURL(new Blob([bytes], { type: contentType }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${id}.${contentType.includes('json') ? 'json' : 'bin'}`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <div>
      <div className="toolbar">
        <span>
          {formatBytes(bytes.byteLength)} · <span className="mono">{contentType}</span>
        </span>
        {pretty !== null && (
          <button type="button" onClick={() => setMode(mode === 'pretty' ? 'raw' : 'pretty')}>
            {mode === 'pretty' ? 'Show raw' : 'Show pretty'}
          </button>
        )}
        <button type="button" onClick={download}>
          Download
        </button>
      </div>
      <pre className="code" data-testid="payload">
        {mode === 'pretty' && pretty !== null ? pretty : text}
      </pre>
    </div>
  );
}
