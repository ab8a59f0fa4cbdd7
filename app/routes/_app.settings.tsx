import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { MetaFunction } from '@remix-run/node';
import { api, plainMessage, timeAgo } from '~/editor/api';
import { ErrorBanner } from '~/editor/ui/bits';
import { ConfirmDialog } from '~/editor/ui/Modal';
import { ModelPrices } from '~/editor/settings/ModelPrices';

export const meta: MetaFunction = () => [{ title: 'Settings · Switchyard' }];

interface ApiKey { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null }
interface Variable { key: string; value: string }

/** API keys (the key is shown once, at creation), workspace variables (`$vars.<key>` in expressions) and AI model prices. */
export default function Settings() {
  const [keys, setKeys] = useState<ApiKey[]>([]);
  const [vars, setVars] = useState<Variable[]>([]);
  const [created, setCreated] = useState<{ name: string; key: string }>();
  const [revoking, setRevoking] = useState<ApiKey>();
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    const [k, v] = await Promise.all([api<ApiKey[]>('/apikeys'), api<Variable[]>('/variables')]);
    setKeys(k);
    setVars(v);
  }, []);
  useEffect(() => { load().catch((e) => setError(plainMessage(e))); }, [load]);

  async function act(action: () => Promise<unknown>) {
    setError(undefined);
    try {
      await action();
      await load();
    } catch (e) {
      setError(plainMessage(e));
    }
  }

  function createKey(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get('name') ?? '').trim();
    if (!name) return;
    void act(async () => {
      const result = await api<{ key: string }>('/apikeys', { method: 'POST', body: { name } });
      setCreated({ name, key: result.key });
      form.reset();
    });
  }

  function setVariable(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const key = String(data.get('key') ?? '').trim();
    void act(async () => {
      await api(`/variables/${encodeURIComponent(key)}`, { method: 'PUT', body: { value: String(data.get('value') ?? '') } });
      form.reset();
    });
  }

  return (
    <div className="page-inner stack">
      <h1>Settings</h1>
      <ErrorBanner message={error} />
      <section className="card pad" aria-labelledby="keys-title">
        <h2 id="keys-title">API keys</h2>
        <p className="muted">Programs use an API key to call Switchyard’s API (<code>Authorization: Bearer …</code>).</p>
        {created && (
          <div className="banner ok" role="status">
            Key “{created.name}” created. Copy it now — it will not be shown again:
            <div className="row" style={{ marginTop: 6 }}>
              <input readOnly value={created.key} aria-label="New API key" className="mono" onFocus={(e) => e.target.select()} />
              <button type="button" className="small" onClick={() => void navigator.clipboard?.writeText(created.key)}>Copy</button>
              <button type="button" className="small" onClick={() => setCreated(undefined)}>Done</button>
            </div>
          </div>
        )}
        <form className="row" onSubmit={createKey} style={{ marginBottom: 12 }}>
          <input name="name" aria-label="API key name" placeholder="Name, e.g. CI or Zapier" maxLength={100} required />
          <button type="submit" className="primary">Create key</button>
        </form>
        {keys.length === 0 ? <p className="muted">No API keys.</p> : (
          <table className="list" aria-label="API keys">
            <thead><tr><th>Name</th><th>Key starts with</th><th>Created</th><th>Last used</th><th /></tr></thead>
            <tbody>{keys.map((k) => (
              <tr key={k.id}><td>{k.name}</td><td><code>{k.prefix}…</code></td><td className="muted">{timeAgo(k.createdAt)}</td><td className="muted">{k.lastUsedAt ? timeAgo(k.lastUsedAt) : 'never'}</td>
                <td className="actions"><button type="button" className="small ghost danger" onClick={() => setRevoking(k)}>Revoke</button></td></tr>
            ))}</tbody>
          </table>
        )}
      </section>
      <section className="card pad" aria-labelledby="vars-title">
        <h2 id="vars-title">Variables</h2>
        <p className="muted">Values every flow can use in expressions as <code>{'{{ $vars.name }}'}</code> — for example a support email or a shop URL.</p>
        <form className="row" onSubmit={setVariable} style={{ marginBottom: 12 }}>
          <input name="key" aria-label="Variable name" placeholder="name" pattern="[A-Za-z_][A-Za-z0-9_]{0,99}" title="Letters, digits and _, not starting with a digit" required style={{ maxWidth: 220 }} />
          <input name="value" aria-label="Variable value" placeholder="value" />
          <button type="submit" className="primary">Save variable</button>
        </form>
        {vars.length === 0 ? <p className="muted">No variables.</p> : (
          <table className="list" aria-label="Variables">
            <thead><tr><th>Name</th><th>Value</th><th /></tr></thead>
            <tbody>{vars.map((v) => (
              <tr key={v.key}><td><code>$vars.{v.key}</code></td><td className="mono">{v.value}</td>
                <td className="actions"><button type="button" className="small ghost danger" onClick={() => void act(() => api(`/variables/${encodeURIComponent(v.key)}`, { method: 'DELETE' }))}>Delete</button></td></tr>
            ))}</tbody>
          </table>
        )}
      </section>
      <ModelPrices />
      {revoking && (
        <ConfirmDialog title="Revoke API key?" confirmLabel="Revoke key" message={<p>Programs using “{revoking.name}” will stop working at once.</p>}
          onCancel={() => setRevoking(undefined)} onConfirm={() => { const k = revoking; setRevoking(undefined); void act(() => api(`/apikeys/${k.id}`, { method: 'DELETE' })); }} />
      )}
    </div>
  );
}
