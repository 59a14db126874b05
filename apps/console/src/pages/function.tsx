import { useState, type FormEvent } from 'react';
import { api, get, roleAllows, type HooklineFunction, type Session } from '../api';
import { navigate } from '../router';
import { ScriptEditor, scriptProblem, type ScriptProblem } from '../script-editor';
import { ScriptTest } from '../script-test';
import { ErrorNote, useLoad } from '../ui';

export function FunctionPage({ id, session }: { id: string; session: Session }) {
  const fn = useLoad(() => get<HooklineFunction>(`functions/${id}`), [id]);
  if (fn.error) return <ErrorNote error={fn.error} />;
  if (!fn.data) return <p className="loading">Loading…</p>;
  return (
    <FunctionForm
      key={fn.data.id}
      fn={fn.data}
      admin={roleAllows(session.role, 'admin')}
      details={session.details}
      onSaved={fn.set}
    />
  );
}

function FunctionForm({
  fn,
  admin,
  details,
  onSaved,
}: {
  fn: HooklineFunction;
  admin: boolean;
  details: boolean;
  onSaved: (fn: HooklineFunction) => void;
}) {
  const [testProblem, setTestProblem] = useState<ScriptProblem | null>(null);
  const [name, setName] = useState(fn.name);
  const [description, setDescription] = useState(fn.description ?? '');
  const [uri, setUri] = useState(fn.uri);
  const [active, setActive] = useState(fn.active);
  const [script, setScript] = useState(fn.script);
  const [retrying, setRetrying] = useState(fn.retry !== null);
  const [maxAttempts, setMaxAttempts] = useState(String(fn.retry?.maxAttempts ?? 3));
  const [backoffMs, setBackoffMs] = useState(String(fn.retry?.backoffMs ?? 1000));
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState('');

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setSaved('');
    try {
      onSaved(
        await api<HooklineFunction>('PATCH', `functions/${fn.id}`, {
          name,
          description: description || null,
          uri,
          active,
          script,
          retry: retrying ? { maxAttempts: Number(maxAttempts), backoffMs: Number(backoffMs) } : null,
        }),
      );
      setSaved(`Saved at ${new Date().toLocaleTimeString()}.`);
    } catch (caught) {
      setError(caught);
    }
  };
  const remove = async () => {
    if (!confirm(`Delete function ${fn.name}?`)) return;
    try {
      await api('DELETE', `functions/${fn.id}`);
      navigate(`providers/${fn.providerId}`);
    } catch (caught) {
      setError(caught);
    }
  };
  const problem = scriptProblem(error) ?? testProblem;
  return (
    <section aria-labelledby="function-heading">
      <p>
        <a href={`#/providers/${fn.providerId}`}>← Provider</a>
      </p>
      <h1 id="function-heading">{fn.name}</h1>
      <form className="card" onSubmit={save} aria-label="Function">
        <fieldset disabled={!admin}>
          <label htmlFor="function-name">Name</label>
          <input id="function-name" value={name} onChange={(event) => setName(event.target.value)} required />
          <label htmlFor="function-description">Description</label>
          <input
            id="function-description"
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
          <label htmlFor="function-uri">URI (after /flexdeploy/webhooks/v1/)</label>
          <input id="function-uri" value={uri} onChange={(event) => setUri(event.target.value)} required />
          <label className="switch">
            <input type="checkbox" checked={active} onChange={(event) => setActive(event.target.checked)} />
            Active
          </label>
          <label className="switch">
            <input type="checkbox" checked={retrying} onChange={(event) => setRetrying(event.target.checked)} />
            Try a failed run again (script error, timeout, limit)
          </label>
          {retrying && (
            <div className="inline-fields">
              <label htmlFor="function-max-attempts">Tries in all</label>
              <input
                id="function-max-attempts"
                type="number"
                min={2}
                max={10}
                value={maxAttempts}
                onChange={(event) => setMaxAttempts(event.target.value)}
                required
              />
              <label htmlFor="function-backoff">First wait (ms), doubling</label>
              <input
                id="function-backoff"
                type="number"
                min={100}
                max={3600000}
                value={backoffMs}
                onChange={(event) => setBackoffMs(event.target.value)}
                required
              />
            </div>
          )}
          <ScriptEditor
            id="function-script"
            label="Script"
            value={script}
            onChange={(next) => {
              setScript(next);
              setTestProblem(null);
            }}
            readOnly={!admin}
            problem={problem}
          />
        </fieldset>
        {!problem && <ErrorNote error={error} />}
        {saved && <p role="status">{saved}</p>}
        {admin && (
          <div className="actions">
            <button type="submit" className="primary">
              Save function
            </button>
            <button type="button" className="danger" onClick={remove}>
              Delete function
            </button>
          </div>
        )}
      </form>
      {admin && (
        <ScriptTest
          kind="functions"
          id={fn.id}
          script={script}
          details={details}
          defaultUri={fn.uri}
          onProblem={setTestProblem}
        />
      )}
    </section>
  );
}
