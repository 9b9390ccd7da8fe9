import { useState, type FormEvent } from 'react';
import { setToken } from '../api/session';

/** The token is checked with GET /me before it is kept; the URL (a deep link) stays as it was. */
export function SignIn() {
  const [token, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/me', { headers: { authorization: `Bearer ${token.trim()}` } });
      if (res.ok) setToken(token.trim());
      else setError(((await res.json().catch(() => ({}))) as { detail?: string }).detail ?? `HTTP ${res.status}`);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <main className="signin">
      <h1>mmreplay</h1>
      <p>Time travel over recorded runs of the page-migration locking protocol.</p>
      <form onSubmit={submit} aria-describedby="signin-help">
        <label htmlFor="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => setValue(e.target.value)}
          required
          aria-invalid={error ? true : undefined}
          aria-errormessage={error ? 'signin-error' : undefined}
        />
        <button type="submit" disabled={busy || !token.trim()}>
          Sign in
        </button>
        <p id="signin-help" className="help">
          Kept for this tab only. <code>npm run admin -- create-team &lt;id&gt; --owner &lt;name&gt;</code> prints one.
        </p>
        {error && (
          <p id="signin-error" role="alert" className="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
