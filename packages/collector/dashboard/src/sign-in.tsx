import { useState } from 'preact/hooks';
import { signIn, type SessionInfo } from './api.ts';

/** The only thing the page shows before a sign-in: no number leaves the collector without one. */
export function SignIn({ onSignedIn }: { onSignedIn: (session: SessionInfo) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(String(form.get('email') ?? ''), String(form.get('password') ?? '')));
    } catch (err) {
      setError(String((err as Error).message ?? err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <form class="card" onSubmit={submit} aria-label="Sign in">
        <h1>Linger insights</h1>
        <label>
          Email <input name="email" type="email" autocomplete="username" required autofocus />
        </label>
        <label>
          Password <input name="password" type="password" autocomplete="current-password" required />
        </label>
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>Sign in</button>
        <p class="muted">
          The first start on 127.0.0.1 printed a password for admin@localhost in its console.
          Lost it? Start again with LINGER_ADMIN_EMAIL and LINGER_ADMIN_PASSWORD set.
        </p>
      </form>
    </main>
  );
}
