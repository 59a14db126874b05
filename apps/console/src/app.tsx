import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, roleAllows, signIn, storedToken, storeToken, whenUnauthorized, type Session } from './api';
import { AuditPage } from './pages/audit';
import { DeadLetterPage, DeadLettersPage } from './pages/dead-letters';
import { FunctionPage } from './pages/function';
import { MessagePage } from './pages/message';
import { MessagesPage } from './pages/messages';
import { ProviderPage } from './pages/provider';
import { ProvidersPage } from './pages/providers';
import { TokensPage } from './pages/tokens';
import { navigate, useRoute } from './router';
import { ErrorNote } from './ui';

type Theme = 'light' | 'dark' | 'system';

function useTheme(): [Theme, (theme: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem('hookline.theme') as Theme) ?? 'system');
  useEffect(() => {
    localStorage.setItem('hookline.theme', theme);
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
  return [theme, setTheme];
}

export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [checking, setChecking] = useState(!!storedToken());
  const [theme, setTheme] = useTheme();

  const signOut = () => {
    storeToken(null);
    setSession(null);
  };

  useEffect(() => {
    whenUnauthorized(signOut);
    const token = storedToken();
    if (!token) return;
    signIn(token)
      .then(setSession, signOut)
      .finally(() => setChecking(false));
  }, []);

  if (checking) return <p className="loading">Checking the token…</p>;
  if (!session) return <SignIn onSignedIn={setSession} />;
  return (
    <>
      {/* Not href="#main": the fragment is the route. */}
      <button type="button" className="skip" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <header className="top">
        <a className="brand" href="#/messages">
          Hookline
        </a>
        <nav aria-label="Pages">
          <a href="#/messages">Messages</a>
          <a href="#/providers">Providers</a>
          {roleAllows(session.role, 'operator') && <a href="#/dead-letters">Dead letters</a>}
          {roleAllows(session.role, 'admin') && <a href="#/tokens">API tokens</a>}
          {roleAllows(session.role, 'admin') && <a href="#/audit">Audit log</a>}
        </nav>
        <div className="who">
          <label>
            <span className="visually-hidden">Theme</span>
            <select value={theme} onChange={(event) => setTheme(event.target.value as Theme)} aria-label="Theme">
              <option value="system">System theme</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
          <span className="token-name" data-testid="session">
            {session.name} · {session.role}
            {session.details ? ' · details' : ''}
          </span>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Routes session={session} />
      </main>
    </>
  );
}

function Routes({ session }: { session: Session }) {
  const [page, id] = useRoute();
  switch (page) {
    case 'providers':
      return id ? <ProviderPage id={id} session={session} /> : <ProvidersPage session={session} />;
    case 'functions':
      return <FunctionPage id={id} session={session} />;
    case 'dead-letters':
      // The API answers a viewer 403 anyway; the page is not offered.
      if (!roleAllows(session.role, 'operator')) break;
      return id ? <DeadLetterPage id={id} session={session} /> : <DeadLettersPage />;
    case 'tokens':
      return <TokensPage />;
    case 'audit':
      return <AuditPage />;
    case 'messages':
      if (id) return <MessagePage id={id} session={session} />;
      return <MessagesPage session={session} />;
  }
  navigate('messages');
  return null;
}

function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await signIn(token.trim());
      storeToken(token.trim());
      onSignedIn(session);
    } catch (caught) {
      setError(
        caught instanceof ApiError && caught.status === 401 ? new Error('That token is not valid.') : (caught as Error),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="sign-in">
      <h1>Hookline</h1>
      <form onSubmit={submit}>
        <label htmlFor="token">Admin or API token</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          required
          autoFocus
        />
        <p className="hint">
          <code>npm start</code> prints the admin token; it is kept for this browser tab only.
        </p>
        <ErrorNote error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
