import { lazy, Suspense, useEffect, useState, useSyncExternalStore } from 'react';
import { NavLink, Navigate, Route, Routes } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from './api/client';
import { currentToken, onTokenChange, setToken } from './api/session';
import { SignIn } from './auth/SignIn';
import { RunPage } from './run/RunPage';

// The run view (what a deep link opens) is in the main chunk; the other views load when visited.
const RunsPage = lazy(() => import('./runs/RunsPage').then((m) => ({ default: m.RunsPage })));
const ComparePage = lazy(() => import('./compare/ComparePage').then((m) => ({ default: m.ComparePage })));
const AuditsPage = lazy(() => import('./audits/AuditsPage').then((m) => ({ default: m.AuditsPage })));
const AuditPage = lazy(() => import('./audits/AuditPage').then((m) => ({ default: m.AuditPage })));
const ComparisonPage = lazy(() => import('./audits/ComparisonPage').then((m) => ({ default: m.ComparisonPage })));

interface Me {
  team: string;
  member: string;
  role: string;
}

const subscribe = (notify: () => void) => onTokenChange(notify);

export function App() {
  const token = useSyncExternalStore(subscribe, currentToken);
  const queries = useQueryClient();
  useEffect(() => {
    if (!token) queries.clear();
  }, [token, queries]);
  if (!token) return <SignIn />;
  return <SignedIn />;
}

function SignedIn() {
  const me = useQuery({ queryKey: ['me'], queryFn: async () => unwrap(await api.GET('/me')) as unknown as Me });
  return (
    <>
      <header className="top">
        <a className="brand" href="/runs">
          mmreplay
        </a>
        <nav aria-label="Main">
          <NavLink to="/runs">Runs</NavLink>
          <NavLink to="/audits">Audits</NavLink>
        </nav>
        <span className="spacer" />
        <ThemeToggle />
        {me.data && (
          <span className="who" data-testid="team">
            team <strong>{me.data.team}</strong> · {me.data.member} ({me.data.role})
          </span>
        )}
        <button type="button" onClick={() => setToken(null)}>
          Sign out
        </button>
      </header>
      <main>
        <Suspense fallback={<p aria-busy="true">Loading…</p>}>
          <Routes>
            <Route path="/" element={<Navigate to="/runs" replace />} />
            <Route path="/runs" element={<RunsPage />} />
            <Route path="/runs/:id" element={<RunPage />} />
            <Route path="/compare" element={<ComparePage />} />
            <Route path="/audits" element={<AuditsPage />} />
            <Route path="/audits/:id" element={<AuditPage />} />
            <Route path="/comparisons/:id" element={<ComparisonPage />} />
            <Route
              path="*"
              element={
                <p>
                  Nothing here. <a href="/runs">Runs</a>
                </p>
              }
            />
          </Routes>
        </Suspense>
      </main>
    </>
  );
}

/** Light, dark, or the system's choice (the default), remembered on this machine. */
function ThemeToggle() {
  const [theme, setTheme] = useState(() => localStorage.getItem('mmreplay.theme') ?? 'system');
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
    localStorage.setItem('mmreplay.theme', theme);
  }, [theme]);
  return (
    <label className="theme">
      Theme{' '}
      <select value={theme} onChange={(e) => setTheme(e.target.value)}>
        <option value="system">system</option>
        <option value="light">light</option>
        <option value="dark">dark</option>
      </select>
    </label>
  );
}
