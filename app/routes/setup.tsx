import { useState, type FormEvent } from 'react';
import { redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { api, plainMessage } from '~/editor/api';

export const meta: MetaFunction = () => [{ title: 'Welcome · Switchyard' }];

export async function loader({ context }: LoaderFunctionArgs) {
  // Only while no owner exists; afterwards this page would only confuse.
  if (!(await context.runtime.auth.needsSetup())) throw redirect('/login');
  return null;
}

export default function Setup() {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password') ?? '');
    if (password !== form.get('confirm')) {
      setError('The two passwords are different. Type the same password twice.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api('/auth/setup', { method: 'POST', body: { email: form.get('email'), password } });
      window.location.assign('/flows');
    } catch (e) {
      setError(plainMessage(e));
      setBusy(false);
    }
  }

  return (
    <main className="auth">
      <form className="card" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title">Welcome to Switchyard</h1>
        <p>Create the owner account. You will use it to sign in and manage flows.</p>
        {error && <div role="alert" className="banner error">{error}</div>}
        <label className="field">
          <span className="field-label">Email</span>
          <input name="email" type="email" autoComplete="username" required autoFocus />
        </label>
        <div className="field">
          <label className="field-label" htmlFor="setup-password">Password</label>
          <input id="setup-password" name="password" type="password" autoComplete="new-password" minLength={8} required aria-describedby="setup-password-help" />
          <span className="field-help" id="setup-password-help">At least 8 characters.</span>
        </div>
        <label className="field">
          <span className="field-label">Repeat password</span>
          <input name="confirm" type="password" autoComplete="new-password" minLength={8} required />
        </label>
        <button className="primary" type="submit" disabled={busy} style={{ width: '100%', justifyContent: 'center' }}>
          {busy ? 'Creating…' : 'Create owner account'}
        </button>
      </form>
    </main>
  );
}
