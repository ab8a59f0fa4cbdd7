import { useCallback, useEffect, useRef, useState } from 'react';
import type { MetaFunction } from '@remix-run/node';
import type { PluginSummary } from '../../runtime/services/types.js';
import { api, plainMessage, timeAgo } from '~/editor/api';
import { readJsonFile } from '~/editor/flows-actions';
import { EmptyState, ErrorBanner } from '~/editor/ui/bits';
import { ConfirmDialog, Modal } from '~/editor/ui/Modal';

export const meta: MetaFunction = () => [{ title: 'Plugins · Switchyard' }];

/** What a plugin asks for, in words an owner can judge before approving. */
function Permissions({ plugin }: { plugin: PluginSummary }) {
  const { hosts, credentialKinds } = plugin.permissions;
  return (
    <ul className="permissions" aria-label={`Permissions of ${plugin.name}`}>
      <li>{hosts.length ? <>Network: may call <strong>{hosts.join(', ')}</strong></> : 'Network: none'}</li>
      <li>{credentialKinds.length ? <>Credentials: may receive <strong>{credentialKinds.join(', ')}</strong> credentials you give its nodes</> : 'Credentials: none'}</li>
      <li>Runs sandboxed: no files, no processes, no other hosts; CPU and memory limited per call.</li>
    </ul>
  );
}

/**
 * Installed plugins: upload a packed plugin (`switchyard-plugin.json` from `switchyard plugin pack`),
 * review and approve the permissions it asks for, uninstall a version (refused while active flows use it).
 */
export default function Plugins() {
  const [plugins, setPlugins] = useState<PluginSummary[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [reviewing, setReviewing] = useState<PluginSummary>();
  const [removing, setRemoving] = useState<PluginSummary>();
  const fileInput = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    try {
      setPlugins(await api<PluginSummary[]>('/plugins'));
    } catch (e) {
      setError(plainMessage(e));
    }
  }, []);
  useEffect(() => void load(), [load]);

  async function act(failure: string, action: () => Promise<unknown>) {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      await load();
    } catch (e) {
      setError(`${failure}: ${plainMessage(e)}`);
    } finally {
      setBusy(false);
    }
  }

  async function upload(file: File) {
    await act(`Could not install "${file.name}"`, async () => {
      const installed = await api<PluginSummary>('/plugins', { method: 'POST', body: await readJsonFile(file) });
      // Installing only stores it: the owner reviews the permissions before any node can run.
      setReviewing(installed);
    });
  }

  const path = (p: PluginSummary) => `/plugins/${encodeURIComponent(p.name)}/${encodeURIComponent(p.version)}`;

  return (
    <div className="page-inner">
      <div className="page-head">
        <h1>Plugins</h1>
        <button type="button" className="primary" disabled={busy} onClick={() => fileInput.current?.click()}>Install plugin…</button>
        <input ref={fileInput} type="file" accept=".json,application/json" aria-label="Plugin package file" hidden
          onChange={(e) => { const file = e.target.files?.[0]; e.target.value = ''; if (file) void upload(file); }} />
      </div>
      <p className="muted">Plugins add nodes to the palette. Their code runs in a sandbox and can only reach the hosts and credential kinds you approve.</p>
      <ErrorBanner message={error} />
      {plugins === undefined ? <p className="muted">Loading plugins…</p>
        : plugins.length === 0 ? (
          <EmptyState title="No plugins installed">
            <p>Pack a plugin with <code>switchyard plugin pack &lt;dir&gt;</code> and install the <code>switchyard-plugin.json</code> it writes.</p>
          </EmptyState>
        ) : (
          <table className="list" aria-label="Plugins">
            <thead><tr><th>Plugin</th><th>Nodes</th><th>Permissions</th><th>Installed</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {plugins.map((p) => (
                <tr key={`${p.name}@${p.version}`} data-plugin={`${p.name}@${p.version}`}>
                  <td><strong>{p.name}</strong> <span className="muted">{p.version}</span><br /><span className="muted">{p.description}</span></td>
                  <td>{p.nodes.map((n) => <div key={`${n.type}@${n.version}`}>{n.title} <span className="muted">({n.type} v{n.version})</span></div>)}</td>
                  <td><Permissions plugin={p} /></td>
                  <td className="muted">{timeAgo(p.installedAt)}</td>
                  <td className="actions">
                    {p.approved ? <span className="badge">Approved</span>
                      : <button type="button" className="small primary" onClick={() => setReviewing(p)}>Review &amp; approve</button>}
                    <button type="button" className="small ghost danger" onClick={() => setRemoving(p)}>Uninstall</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      {reviewing && !reviewing.approved && (
        <Modal title={`Approve ${reviewing.name} ${reviewing.version}?`} onClose={() => setReviewing(undefined)} busy={busy}>
          <p>{reviewing.description}</p>
          <p>By {reviewing.author || 'an unnamed author'}. Its nodes: {reviewing.nodes.map((n) => n.title).join(', ')}.</p>
          <Permissions plugin={reviewing} />
          <div className="modal-actions">
            <button type="button" className="ghost" onClick={() => setReviewing(undefined)}>Not now</button>
            <button type="button" className="primary" disabled={busy}
              onClick={() => void act('Could not approve', async () => { await api(`${path(reviewing)}/approve`, { method: 'POST' }); setReviewing(undefined); })}>
              Approve permissions
            </button>
          </div>
        </Modal>
      )}
      {removing && (
        <ConfirmDialog title={`Uninstall ${removing.name} ${removing.version}?`} confirmLabel="Uninstall" busy={busy}
          message="Flows that still use its nodes will fail validation until you upgrade or remove those nodes."
          onCancel={() => setRemoving(undefined)}
          onConfirm={() => void act('Could not uninstall', async () => { const target = removing; setRemoving(undefined); await api(path(target), { method: 'DELETE' }); })} />
      )}
    </div>
  );
}
