import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  api,
  get,
  query,
  roleAllows,
  type HooklineFunction,
  type MessageFunction,
  type MessageListItem,
  type Page,
  type Provider,
  type Resubmission,
  type Session,
} from '../api';
import { StatusChart } from '../status-chart';
import { ErrorNote, formatTime, StatusBadge, useLoad } from '../ui';

const STATUSES = ['RECEIVED', 'PROCESSING', 'SUCCESS', 'FAILED', 'UNMATCHED', 'DUPLICATE'];
const PAGE_SIZE = 50;
const POLL_MS = 2000;

interface Filter {
  status?: string;
  providerId?: string;
  functionId?: string;
  uri?: string;
  from?: string;
  to?: string;
  q?: string;
}

/** `datetime-local` values are local times; the API wants them with their offset. */
const toIso = (local?: string) => (local ? new Date(local).toISOString() : undefined);
const apiFilter = (filter: Filter): Filter => ({ ...filter, from: toIso(filter.from), to: toIso(filter.to) });

export function MessagesPage({ session }: { session: Session }) {
  const [filter, setFilter] = useState<Filter>({});
  // Keyset paging: the cursors of the pages before this one, so "Newer" can go back.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const cursor = cursors[cursors.length - 1];
  const [page, setPage] = useState<Page<MessageListItem> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState(true);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const seen = useRef<Set<string> | null>(null);
  const providers = useLoad(() => get<Provider[]>('providers'), []);
  const functions = useLoad(() => get<HooklineFunction[]>('functions'), []);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    seen.current = null;
    const load = async () => {
      try {
        const next = await get<Page<MessageListItem>>(
          `messages?${query({ ...apiFilter(filter), limit: String(PAGE_SIZE), cursor })}`,
        );
        if (stopped) return;
        const known = seen.current;
        setFresh(new Set(known ? next.items.filter((m) => !known.has(m.id)).map((m) => m.id) : []));
        seen.current = new Set([...(known ?? []), ...next.items.map((m) => m.id)]);
        setPage(next);
        setError(null);
        setUpdatedAt(new Date());
      } catch (caught) {
        if (!stopped) setError(caught);
      }
      // Only the first page changes as messages arrive; older pages are stable (keyset).
      if (!stopped && live && cursor === null) timer = setTimeout(load, POLL_MS);
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [filter, cursor, live]);

  const apply = (next: Filter) => {
    setFilter(next);
    setCursors([null]);
  };

  return (
    <section aria-labelledby="messages-heading">
      <div className="page-head">
        <h1 id="messages-heading">Messages</h1>
        <LiveIndicator live={live && cursor === null} updatedAt={updatedAt} onToggle={() => setLive(!live)} />
      </div>
      <Filters initial={filter} providers={providers.data ?? []} functions={functions.data ?? []} onApply={apply} />
      <StatusChart filter={apiFilter(filter)} live={live} />
      {roleAllows(session.role, 'operator') && <BulkResubmit filter={apiFilter(filter)} />}
      <ErrorNote error={error} />
      <div className="table-wrap">
        <table className="messages">
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col" className="col-provider">
                Provider
              </th>
              <th scope="col" className="col-functions">
                Functions
              </th>
              <th scope="col">URI</th>
              <th scope="col" className="col-message">
                Message
              </th>
              <th scope="col">Received</th>
              <th scope="col" className="col-duration">
                Duration
              </th>
              <th scope="col" className="col-resubmitted">
                Resubmitted by
              </th>
              <th scope="col" className="col-from">
                From
              </th>
            </tr>
          </thead>
          <tbody>
            {page?.items.map((message) => (
              <tr key={message.id} className={fresh.has(message.id) ? 'fresh' : undefined}>
                <td>
                  <StatusBadge status={message.status} />
                </td>
                <td className="col-provider">{message.providerName ?? '—'}</td>
                <td className="col-functions">
                  <FunctionList functions={message.functions} />
                </td>
                <td className="mono">
                  {message.method} {message.uri}
                </td>
                <td className="col-message">{message.message ?? ''}</td>
                <td>
                  <a href={`#/messages/${message.id}`}>{formatTime(message.receivedAt)}</a>
                </td>
                <td className="col-duration num">{formatDuration(message.durationMs)}</td>
                <td className="col-resubmitted">
                  {message.resubmittedBy ?? ''}
                  {message.run > 0 && <span className="muted"> (run {message.run})</span>}
                </td>
                <td className="col-from mono">{message.remoteAddr}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {page && page.items.length === 0 && <p className="empty">No messages match.</p>}
      </div>
      <nav className="pager" aria-label="Pages of messages">
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors([null])}>
          Newest
        </button>
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <button
          type="button"
          disabled={!page?.nextCursor}
          onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}
        >
          Older
        </button>
      </nav>
    </section>
  );
}

/** The latest run's functions; a status other than SUCCESS is written beside the name. */
function FunctionList({ functions }: { functions: MessageFunction[] }) {
  if (functions.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="run-functions">
      {functions.map((fn) => (
        <li key={fn.id}>
          {fn.name}
          {fn.status !== 'SUCCESS' && <span className={`fn-status fn-${fn.status.toLowerCase()}`}> {fn.status}</span>}
        </li>
      ))}
    </ul>
  );
}

/** `840 ms`, `2.4 s`, `3 min 5 s`; an unfinished run has none yet. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function LiveIndicator({ live, updatedAt, onToggle }: { live: boolean; updatedAt: Date | null; onToggle: () => void }) {
  return (
    <div className="live">
      <span className={live ? 'dot on' : 'dot'} aria-hidden="true" />
      <span role="status" data-testid="live-status">
        {live ? 'Live' : 'Paused'}
      </span>
      {/* Outside the status region: a screen reader should not read the clock every two seconds. */}
      {updatedAt && <span>updated {updatedAt.toLocaleTimeString()}</span>}
      <button type="button" onClick={onToggle}>
        {live ? 'Pause' : 'Resume'}
      </button>
    </div>
  );
}

function Filters({
  initial,
  providers,
  functions,
  onApply,
}: {
  initial: Filter;
  providers: Provider[];
  functions: HooklineFunction[];
  onApply: (filter: Filter) => void;
}) {
  const [draft, setDraft] = useState<Filter>(initial);
  const field = (name: keyof Filter) => ({
    id: `filter-${name}`,
    value: draft[name] ?? '',
    onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [name]: event.target.value || undefined }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Filter messages">
      <div>
        <label htmlFor="filter-status">Status</label>
        <select {...field('status')}>
          <option value="">Any</option>
          {STATUSES.map((status) => (
            <option key={status}>{status}</option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="filter-providerId">Provider</label>
        <select {...field('providerId')}>
          <option value="">Any</option>
          {providers.map((provider) => (
            <option key={provider.id} value={provider.id}>
              {provider.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="filter-functionId">Function</label>
        <select {...field('functionId')}>
          <option value="">Any</option>
          {functions.map((fn) => (
            <option key={fn.id} value={fn.id}>
              {fn.name} ({fn.uri})
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="filter-uri">URI</label>
        <input {...field('uri')} placeholder="git/push" />
      </div>
      <div>
        <label htmlFor="filter-from">From</label>
        <input type="datetime-local" {...field('from')} />
      </div>
      <div>
        <label htmlFor="filter-to">To</label>
        <input type="datetime-local" {...field('to')} />
      </div>
      <div className="grow">
        <label htmlFor="filter-q">Text</label>
        <input type="search" {...field('q')} placeholder="words of the message, URI or errors" />
      </div>
      <div className="actions">
        <button type="submit" className="primary">
          Apply
        </button>
        <button
          type="button"
          onClick={() => {
            setDraft({});
            onApply({});
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}

const FINISHED = ['DONE', 'FAILED', 'CANCELLED'];

/** Resubmits every message of the current filter in the background, with its progress and a cancel. */
function BulkResubmit({ filter }: { filter: Filter }) {
  const [operation, setOperation] = useState<Resubmission | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!operation || FINISHED.includes(operation.status)) return;
    const timer = setTimeout(
      () => get<Resubmission>(`resubmissions/${operation.id}`).then(setOperation, setError),
      1000,
    );
    return () => clearTimeout(timer);
  }, [operation]);

  const start = async () => {
    const described = Object.entries(filter)
      .filter(([, value]) => value)
      .map(([key, value]) => `${key}=${value}`)
      .join(', ');
    if (!confirm(`Resubmit every message matching ${described || 'no filter'}?`)) return;
    setError(null);
    try {
      setOperation(
        await api<Resubmission>('POST', 'resubmissions', {
          filter: Object.fromEntries(Object.entries(filter).filter(([, value]) => value)),
        }),
      );
    } catch (caught) {
      setError(caught);
    }
  };
  const cancel = async () => {
    if (operation) setOperation(await api<Resubmission>('POST', `resubmissions/${operation.id}/cancel`));
  };

  return (
    <div className="bulk">
      <button type="button" onClick={start} disabled={!!operation && !FINISHED.includes(operation.status)}>
        Resubmit all matching…
      </button>
      {operation && (
        <span role="status">
          Bulk resubmission {operation.status.toLowerCase()}: {operation.done} of {operation.total ?? '?'} resubmitted
          {operation.skipped ? `, ${operation.skipped} skipped` : ''}
          {operation.failed ? `, ${operation.failed} failed` : ''}
          {operation.total ? (
            <progress max={operation.total} value={operation.done + operation.skipped + operation.failed} />
          ) : null}
          {!FINISHED.includes(operation.status) && (
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          )}
        </span>
      )}
      <ErrorNote error={error} />
    </div>
  );
}
