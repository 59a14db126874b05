import { useEffect, useState, type FormEvent } from 'react';
import { api, get, roleAllows, type HooklineFunction, type Property, type Provider, type Session } from '../api';
import { navigate } from '../router';
import { ScriptEditor, scriptProblem, type ScriptProblem } from '../script-editor';
import { ScriptTest } from '../script-test';
import { ErrorNote, useLoad } from '../ui';

/** What the API shows for a stored secret, and takes back as "keep it". */
const KEEP_SECRET = '****';

interface PropertyDraft extends Property {
  /** A secret already stored: its value is never shown, only replaced. */
  stored: boolean;
}

export function ProviderPage({ id, session }: { id: string; session: Session }) {
  const provider = useLoad(() => get<Provider>(`providers/${id}`), [id]);
  const admin = roleAllows(session.role, 'admin');
  if (provider.error) return <ErrorNote error={provider.error} />;
  if (!provider.data) return <p className="loading">Loading…</p>;
  return (
    <section aria-labelledby="provider-heading">
      <p>
        <a href="#/providers">← Providers</a>
      </p>
      <h1 id="provider-heading">{provider.data.name}</h1>
      <ProviderForm
        key={provider.data.id}
        provider={provider.data}
        admin={admin}
        details={session.details}
        onSaved={provider.set}
      />
      <Functions provider={provider.data} admin={admin} />
    </section>
  );
}

function ProviderForm({
  provider,
  admin,
  details,
  onSaved,
}: {
  provider: Provider;
  admin: boolean;
  details: boolean;
  onSaved: (provider: Provider) => void;
}) {
  const [testProblem, setTestProblem] = useState<ScriptProblem | null>(null);
  const [name, setName] = useState(provider.name);
  const [description, setDescription] = useState(provider.description ?? '');
  const [active, setActive] = useState(provider.active);
  const [matchScript, setMatchScript] = useState(provider.matchScript);
  const [dedupHeader, setDedupHeader] = useState(provider.dedupHeader ?? '');
  const [limited, setLimited] = useState(provider.rateLimit !== null);
  const [perSecond, setPerSecond] = useState(String(provider.rateLimit?.perSecond ?? 10));
  const [burst, setBurst] = useState(String(provider.rateLimit?.burst ?? 20));
  const [properties, setProperties] = useState<PropertyDraft[]>(() =>
    provider.properties.map((p) => ({ ...p, stored: !!p.secret, value: p.secret ? '' : p.value })),
  );
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState('');

  const update = (index: number, change: Partial<PropertyDraft>) =>
    setProperties(properties.map((p, i) => (i === index ? { ...p, ...change } : p)));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setSaved('');
    try {
      const result = await api<Provider>('PATCH', `providers/${provider.id}`, {
        name,
        description: description || null,
        active,
        matchScript,
        dedupHeader: dedupHeader || null,
        rateLimit: limited ? { perSecond: Number(perSecond), burst: Number(burst) } : null,
        properties: properties.map((p) => ({
          name: p.name,
          // An untouched stored secret is sent back as "****": the server keeps its value.
          value: p.secret && p.stored && p.value === '' ? KEEP_SECRET : p.value,
          secret: !!p.secret,
        })),
      });
      onSaved(result);
      setSaved(`Saved at ${new Date().toLocaleTimeString()}.`);
    } catch (caught) {
      setError(caught);
    }
  };

  const remove = async () => {
    if (!confirm(`Delete provider ${provider.name} and all its functions?`)) return;
    try {
      await api('DELETE', `providers/${provider.id}`);
      navigate('providers');
    } catch (caught) {
      setError(caught);
    }
  };

  const problem = scriptProblem(error) ?? testProblem;
  return (
    <>
      <form className="card" onSubmit={save} aria-label="Provider">
        <fieldset disabled={!admin}>
          <label htmlFor="provider-name">Name</label>
          <input id="provider-name" value={name} onChange={(event) => setName(event.target.value)} required />
          <label htmlFor="provider-description">Description</label>
          <input
            id="provider-description"
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
          <label className="switch">
            <input type="checkbox" checked={active} onChange={(event) => setActive(event.target.checked)} />
            Active
          </label>
          <ScriptEditor
            id="provider-match-script"
            label="Match script"
            value={matchScript}
            onChange={(script) => {
              setMatchScript(script);
              setTestProblem(null);
            }}
            readOnly={!admin}
            problem={problem}
            names={properties.map((p) => p.name).filter(Boolean)}
          />
          <h2>Properties</h2>
          <p className="hint">
            Scripts read them as globals. Secret values are write-only: type a new value to replace a stored one.
          </p>
          <table className="properties">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Value</th>
                <th scope="col">Secret</th>
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {properties.map((property, index) => (
                <tr key={index}>
                  <td>
                    <input
                      aria-label={`Property ${index + 1} name`}
                      value={property.name}
                      onChange={(event) => update(index, { name: event.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={`Property ${property.name || index + 1} value`}
                      type={property.secret ? 'password' : 'text'}
                      autoComplete="off"
                      placeholder={property.secret && property.stored ? 'stored — type to replace' : ''}
                      value={property.value}
                      onChange={(event) => update(index, { value: event.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Property ${property.name || index + 1} is secret`}
                      checked={!!property.secret}
                      onChange={(event) => update(index, { secret: event.target.checked, stored: false, value: '' })}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      onClick={() => setProperties(properties.filter((_, i) => i !== index))}
                      aria-label={`Remove property ${property.name || index + 1}`}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {admin && (
            <button
              type="button"
              onClick={() => setProperties([...properties, { name: '', value: '', secret: false, stored: false }])}
            >
              Add property
            </button>
          )}
          <label htmlFor="provider-dedup">Deduplication header (optional)</label>
          <input
            id="provider-dedup"
            value={dedupHeader}
            placeholder="X-GitHub-Delivery"
            onChange={(event) => setDedupHeader(event.target.value)}
          />
          <label className="switch">
            <input type="checkbox" checked={limited} onChange={(event) => setLimited(event.target.checked)} />
            Rate limit at the ingress (429 beyond it, per replica)
          </label>
          {limited && (
            <div className="inline-fields">
              <label htmlFor="provider-rate">Webhooks per second</label>
              <input
                id="provider-rate"
                type="number"
                min={0.01}
                step="any"
                value={perSecond}
                onChange={(event) => setPerSecond(event.target.value)}
                required
              />
              <label htmlFor="provider-burst">Burst</label>
              <input
                id="provider-burst"
                type="number"
                min={1}
                value={burst}
                onChange={(event) => setBurst(event.target.value)}
                required
              />
            </div>
          )}
        </fieldset>
        {!problem && <ErrorNote error={error} />}
        {saved && <p role="status">{saved}</p>}
        {admin && (
          <div className="actions">
            <button type="submit" className="primary">
              Save provider
            </button>
            <button type="button" className="danger" onClick={remove}>
              Delete provider
            </button>
          </div>
        )}
      </form>
      {admin && (
        <ScriptTest
          kind="providers"
          id={provider.id}
          script={matchScript}
          details={details}
          defaultUri=""
          onProblem={setTestProblem}
        />
      )}
    </>
  );
}

function Functions({ provider, admin }: { provider: Provider; admin: boolean }) {
  const functions = useLoad(() => get<HooklineFunction[]>(`functions?providerId=${provider.id}`), [provider.id]);
  const [error, setError] = useState<unknown>(null);
  const toggle = async (fn: HooklineFunction) => {
    try {
      await api('PATCH', `functions/${fn.id}`, { active: !fn.active });
      functions.reload();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <section aria-labelledby="functions-heading">
      <h2 id="functions-heading">Functions</h2>
      <ErrorNote error={functions.error ?? error} />
      <ul className="functions">
        {functions.data?.map((fn) => (
          <li key={fn.id}>
            <a href={`#/functions/${fn.id}`}>{fn.name}</a> <span className="mono">{fn.uri}</span>{' '}
            {admin ? (
              <label className="switch">
                <input type="checkbox" checked={fn.active} onChange={() => toggle(fn)} />
                Active
              </label>
            ) : (
              <span>{fn.active ? 'Active' : 'Inactive'}</span>
            )}
          </li>
        ))}
      </ul>
      {functions.data?.length === 0 && <p className="empty">No functions yet.</p>}
      {admin && <NewFunction providerId={provider.id} onCreated={functions.reload} />}
    </section>
  );
}

function NewFunction({ providerId, onCreated }: { providerId: string; onCreated: () => void }) {
  const [name, setName] = useState('');
  const [uri, setUri] = useState('');
  const [script, setScript] = useState("LOG.info('received');\nreturn PAYLOAD;");
  const [error, setError] = useState<unknown>(null);
  useEffect(() => setError(null), [script]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const created = await api<HooklineFunction>('POST', 'functions', { name, uri, script, providerId });
      onCreated();
      navigate(`functions/${created.id}`);
    } catch (caught) {
      setError(caught);
    }
  };
  const problem = scriptProblem(error);
  return (
    <form className="card" onSubmit={submit} aria-labelledby="new-function-heading">
      <h3 id="new-function-heading">New function</h3>
      <label htmlFor="new-function-name">Name</label>
      <input id="new-function-name" value={name} onChange={(event) => setName(event.target.value)} required />
      <label htmlFor="new-function-uri">URI (after /flexdeploy/webhooks/v1/)</label>
      <input id="new-function-uri" value={uri} onChange={(event) => setUri(event.target.value)} required />
      <ScriptEditor id="new-function-script" label="Script" value={script} onChange={setScript} problem={problem} />
      {!problem && <ErrorNote error={error} />}
      <button type="submit" className="primary">
        Add function
      </button>
    </form>
  );
}
