import { useState, type DragEvent, type FormEvent, type KeyboardEvent } from 'react';
import { api, get, roleAllows, type Provider, type ProviderTemplate, type Session } from '../api';
import { navigate } from '../router';
import { ErrorNote, useLoad } from '../ui';

export function ProvidersPage({ session }: { session: Session }) {
  const providers = useLoad(() => get<Provider[]>('providers'), []);
  const [error, setError] = useState<unknown>(null);
  const [announcement, setAnnouncement] = useState('');
  const [dragged, setDragged] = useState<number | null>(null);
  const admin = roleAllows(session.role, 'admin');
  const list = providers.data ?? [];

  const saveOrder = async (next: Provider[], moved: Provider) => {
    providers.set(next);
    setError(null);
    try {
      providers.set(await api<Provider[]>('PUT', 'providers/order', { ids: next.map((p) => p.id) }));
      setAnnouncement(`${moved.name} is now number ${next.indexOf(moved) + 1} of ${next.length}.`);
    } catch (caught) {
      setError(caught);
      providers.reload();
    }
  };
  const move = (from: number, to: number) => {
    if (to < 0 || to >= list.length || from === to) return;
    const next = [...list];
    const [moved] = next.splice(from, 1);
    next.splice(to, 0, moved);
    void saveOrder(next, moved);
  };
  const onKey = (event: KeyboardEvent, index: number) => {
    if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault();
      move(index, index + (event.key === 'ArrowUp' ? -1 : 1));
    }
  };
  const toggle = async (provider: Provider) => {
    setError(null);
    try {
      await api('PATCH', `providers/${provider.id}`, { active: !provider.active });
      providers.reload();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section aria-labelledby="providers-heading">
      <div className="page-head">
        <h1 id="providers-heading">Providers</h1>
      </div>
      <p className="hint">
        Evaluated top to bottom: the first active provider whose match script returns <code>true</code> takes the
        message.
        {admin && ' Drag a provider, or focus its handle and press the up and down arrow keys, to change the order.'}
      </p>
      <ErrorNote error={providers.error ?? error} />
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      <ol className="providers">
        {list.map((provider, index) => (
          <li
            key={provider.id}
            data-testid="provider-row"
            draggable={admin}
            className={dragged === index ? 'dragging' : undefined}
            onDragStart={(event: DragEvent) => {
              setDragged(index);
              event.dataTransfer.effectAllowed = 'move';
              event.dataTransfer.setData('text/plain', provider.id);
            }}
            onDragOver={(event) => admin && event.preventDefault()}
            onDrop={(event) => {
              event.preventDefault();
              if (dragged !== null) move(dragged, index);
              setDragged(null);
            }}
            onDragEnd={() => setDragged(null)}
          >
            {admin && (
              <button
                type="button"
                className="handle"
                aria-label={`Move ${provider.name} (position ${index + 1} of ${list.length}); use the arrow keys`}
                onKeyDown={(event) => onKey(event, index)}
              >
                ⠿
              </button>
            )}
            <span className="seq">{index + 1}</span>
            <a href={`#/providers/${provider.id}`} className="name">
              {provider.name}
            </a>
            <span className="description">{provider.description ?? ''}</span>
            {admin ? (
              <label className="switch">
                <input type="checkbox" checked={provider.active} onChange={() => toggle(provider)} />
                Active
              </label>
            ) : (
              <span>{provider.active ? 'Active' : 'Inactive'}</span>
            )}
            {admin && (
              <span className="move">
                <button type="button" aria-label={`Move ${provider.name} up`} onClick={() => move(index, index - 1)}>
                  ↑
                </button>
                <button type="button" aria-label={`Move ${provider.name} down`} onClick={() => move(index, index + 1)}>
                  ↓
                </button>
              </span>
            )}
          </li>
        ))}
      </ol>
      {providers.data && list.length === 0 && <p className="empty">No providers yet.</p>}
      {admin && <NewProvider />}
    </section>
  );
}

function NewProvider() {
  const templates = useLoad(() => get<ProviderTemplate[]>('provider-templates'), []);
  const [templateId, setTemplateId] = useState('');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const template = templates.data?.find((t) => t.id === templateId);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const body = template
        ? {
            template: template.id,
            name: name || undefined,
            properties: template.properties
              .filter((p) => p.required || values[p.name])
              .map((p) => ({ name: p.name, value: values[p.name] ?? '' })),
          }
        : { name, matchScript: '// Return true for the messages of this provider.\nreturn false;' };
      const created = await api<Provider>('POST', 'providers', body);
      navigate(`providers/${created.id}`);
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="new-provider-heading">
      <h2 id="new-provider-heading">New provider</h2>
      <label htmlFor="new-provider-template">Template</label>
      <select id="new-provider-template" value={templateId} onChange={(event) => setTemplateId(event.target.value)}>
        <option value="">Blank</option>
        {templates.data?.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
      {template && <p className="hint">{template.description}</p>}
      <label htmlFor="new-provider-name">Name{template ? ` (default: ${template.name})` : ''}</label>
      <input
        id="new-provider-name"
        value={name}
        onChange={(event) => setName(event.target.value)}
        required={!template}
      />
      {template?.properties.map((property) => (
        <div key={property.name}>
          <label htmlFor={`new-provider-${property.name}`}>
            {property.name}
            {property.required ? '' : ' (optional)'}
          </label>
          <input
            id={`new-provider-${property.name}`}
            type={property.secret ? 'password' : 'text'}
            autoComplete="off"
            required={property.required}
            value={values[property.name] ?? ''}
            onChange={(event) => setValues({ ...values, [property.name]: event.target.value })}
          />
          <p className="hint">{property.description}</p>
        </div>
      ))}
      <ErrorNote error={error} />
      <button type="submit" className="primary">
        Create provider
      </button>
    </form>
  );
}
