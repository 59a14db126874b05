import { useState, type FormEvent } from 'react';
import { api, get, type ApiToken, type Role } from '../api';
import { ErrorNote, formatTime, useLoad } from '../ui';

export function TokensPage() {
  const tokens = useLoad(() => get<ApiToken[]>('tokens'), []);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [details, setDetails] = useState(false);
  const [created, setCreated] = useState<ApiToken | null>(null);
  const [error, setError] = useState<unknown>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      setCreated(await api<ApiToken>('POST', 'tokens', { name, role, details }));
      setName('');
      tokens.reload();
    } catch (caught) {
      setError(caught);
    }
  };
  const revoke = async (token: ApiToken) => {
    if (!confirm(`Revoke token ${token.name}? It stops working at once.`)) return;
    try {
      await api('DELETE', `tokens/${token.id}`);
      tokens.reload();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section aria-labelledby="tokens-heading">
      <h1 id="tokens-heading">API tokens</h1>
      <ErrorNote error={tokens.error ?? error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Details</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Revoke</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data?.map((token) => (
              <tr key={token.id}>
                <td>{token.name}</td>
                <td>{token.role}</td>
                <td>{token.details ? 'yes' : 'no'}</td>
                <td>
                  {formatTime(token.createdAt)} by {token.createdBy}
                </td>
                <td>{formatTime(token.lastUsedAt)}</td>
                <td>
                  <button type="button" className="danger" onClick={() => revoke(token)}>
                    Revoke {token.name}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {created?.secret && (
        <div className="card secret" role="status">
          <p>
            Token <b>{created.name}</b> created. Copy its secret now: it is never shown again.
          </p>
          <input readOnly aria-label="New token secret" value={created.secret} onFocus={(e) => e.target.select()} />
        </div>
      )}
      <form className="card" onSubmit={create} aria-labelledby="new-token-heading">
        <h2 id="new-token-heading">New token</h2>
        <label htmlFor="token-name">Name</label>
        <input id="token-name" value={name} onChange={(event) => setName(event.target.value)} required />
        <label htmlFor="token-role">Role</label>
        <select id="token-role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
          <option value="viewer">viewer — reads</option>
          <option value="operator">operator — also resubmits</option>
          <option value="admin">admin — also changes configuration and tokens</option>
        </select>
        <label className="switch">
          <input type="checkbox" checked={details} onChange={(event) => setDetails(event.target.checked)} />
          May see headers, query strings and payloads
        </label>
        <button type="submit" className="primary">
          Create token
        </button>
      </form>
    </section>
  );
}
