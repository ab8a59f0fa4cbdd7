import { useState, type FormEvent } from 'react';
import { redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useSearchParams } from '@remix-run/react';
import { api, plainMessage, safeNext } from '~/editor/api';
import { currentPrincipal } from '~/editor/session.server';

export const meta: MetaFunction = () => [{ title: 'Sign in · Switchyard' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await context.runtime.auth.needsSetup()) throw redirect('/setup');
  if (await currentPrincipal(request, context.runtime)) throw redirect(safeNext(new URL(request.url).searchParams.get('next')));
  return null;
}

export default function Login() {
  const [params] = useSearchParams();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      await api('/auth/login', { method: 'POST', body: { email: form.get('email'), password: form.get('password') } });
      // A full load so every loader sees the new session cookie.
      window.location.assign(safeNext(params.get('next')));
    } catch (e) {
      setError(plainMessage(e));
      setBusy(false);
    }
  }

  return (
    <main className="auth">
      <form className="card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Switchyard</h1>
        <p>Use the owner account you created on first start.</p>
        {error && <div role="alert" className="banner error">{error}</div>}
        <label className="field">
          <span className="field-label">Email</span>
          <input name="email" type="email" autoComplete="username" required autoFocus />
        </label>
        <label className="field">
          <span className="field-label">Password</span>
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button className="primary" type="submit" disabled={busy} style={{ width: '100%', justifyContent: 'center' }}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
