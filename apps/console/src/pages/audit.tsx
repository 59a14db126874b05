import { useState, type FormEvent } from 'react';
import { get, query, type AuditEntry, type Page } from '../api';
import { ErrorNote, formatTime, Json, useLoad } from '../ui';

export function AuditPage() {
  const [action, setAction] = useState('');
  const [applied, setApplied] = useState('');
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const cursor = cursors[cursors.length - 1];
  const page = useLoad(
    () => get<Page<AuditEntry>>(`audit?${query({ action: applied, cursor, limit: '50' })}`),
    [applied, cursor],
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setApplied(action);
    setCursors([null]);
  };
  return (
    <section aria-labelledby="audit-heading">
      <h1 id="audit-heading">Audit log</h1>
      <form className="filters" onSubmit={submit} aria-label="Filter the audit log">
        <div>
          <label htmlFor="audit-action">Action</label>
          <input
            id="audit-action"
            value={action}
            placeholder="provider.update"
            onChange={(event) => setAction(event.target.value)}
          />
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            Apply
          </button>
        </div>
      </form>
      <ErrorNote error={page.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Token</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {page.data?.items.map((entry) => (
              <tr key={entry.id}>
                <td>{formatTime(entry.at)}</td>
                <td>{entry.tokenName}</td>
                <td className="mono">{entry.action}</td>
                <td className="mono">
                  {entry.targetType} {entry.targetId ?? ''}
                </td>
                <td>
                  <details>
                    <summary>Before and after</summary>
                    <Json value={{ before: entry.before, after: entry.after }} />
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label="Pages of the audit log">
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
