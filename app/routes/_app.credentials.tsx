import { useState } from 'react';
import type { MetaFunction } from '@remix-run/node';
import type { CredentialSummary } from '../../runtime/services/types.js';
import { api, plainMessage, timeAgo } from '~/editor/api';
import { CallbackInfo } from '~/editor/credentials/CallbackInfo';
import { ConnectCredentialModal } from '~/editor/credentials/ConnectCredentialModal';
import { EditCredentialModal } from '~/editor/credentials/EditCredentialModal';
import { loadCredential, type CredentialWithInbound } from '~/editor/credentials/inbound-info';
import { TestConnection } from '~/editor/credentials/TestConnection';
import { CredentialModal } from '~/editor/inspector/CredentialModal';
import { useCredentials } from '~/editor/inspector/credentials';
import { EmptyState, ErrorBanner } from '~/editor/ui/bits';
import { ConfirmDialog } from '~/editor/ui/Modal';

export const meta: MetaFunction = () => [{ title: 'Credentials · Switchyard' }];

/** Saved credentials: names and kinds only — secrets never leave the server. */
export default function Credentials() {
  const { credentials, kinds, refresh } = useCredentials();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<CredentialSummary>();
  const [deleting, setDeleting] = useState<CredentialSummary>();
  /** A credential just saved whose provider calls back: what to paste in its console. */
  const [connecting, setConnecting] = useState<CredentialWithInbound>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const kindTitle = (kind: string) => kinds.find((k) => k.kind === kind)?.title ?? kind;
  const testable = (kind: string) => kinds.find((k) => k.kind === kind)?.testable === true;
  const inbound = (kind: string) => kinds.find((k) => k.kind === kind)?.inbound === true;

  async function created(c: CredentialSummary) {
    setCreating(false);
    void refresh();
    if (!inbound(c.kind)) return;
    try {
      const detail = await loadCredential(c.id);
      if (detail.callbackUrl) setConnecting(detail);
    } catch (e) {
      setError(`Saved “${c.name}”, but its callback URL could not be loaded: ${plainMessage(e)}`);
    }
  }

  async function act(action: () => Promise<unknown>, failure: string) {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      await refresh();
    } catch (e) {
      // A 409 names the flows that still use the credential; the server's message says which.
      setError(`${failure}: ${plainMessage(e)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page-inner">
      <div className="page-head">
        <h1>Credentials</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)} disabled={kinds.length === 0}>New credential</button>
      </div>
      <p className="muted">Passwords, tokens and keys your flows use to reach other services. They are stored encrypted and are never shown again after you save them; edit one to replace a secret.</p>
      <ErrorBanner message={error} />
      {credentials.length === 0 ? (
        <EmptyState title="No credentials yet">
          <p>Create one here, or right from a node’s settings when it asks for one (for example an HTTP request with a token).</p>
        </EmptyState>
      ) : (
        <table className="list" aria-label="Credentials">
          <thead><tr><th>Name</th><th>Type</th><th>Changed</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {credentials.map((c) => (
              <tr key={c.id}>
                <td>
                  <strong>{c.name}</strong>
                  {inbound(c.kind) && <CallbackInfo credentialId={c.id} name={c.name} />}
                </td>
                <td className="muted">{kindTitle(c.kind)}</td>
                <td className="muted">{timeAgo(c.updatedAt)}</td>
                <td className="actions">
                  <button type="button" className="small ghost" onClick={() => setEditing(c)} aria-label={`Edit ${c.name}`}>Edit</button>
                  <button type="button" className="small ghost danger" onClick={() => setDeleting(c)}>Delete</button>
                  {/* Last, so its result can wrap below the buttons without pushing them apart. */}
                  {testable(c.kind) && <TestConnection credentialId={c.id} name={c.name} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {creating && <CredentialModal kinds={kinds} onClose={() => setCreating(false)} onCreated={(c) => void created(c)} />}
      {connecting && <ConnectCredentialModal credential={connecting} onClose={() => setConnecting(undefined)} />}
      {editing && (
        <EditCredentialModal credentialId={editing.id} kinds={kinds} onClose={() => setEditing(undefined)}
          onSaved={() => { setEditing(undefined); void refresh(); }} />
      )}
      {deleting && (
        <ConfirmDialog title="Delete credential?" confirmLabel="Delete credential" busy={busy}
          message={<p>“{deleting.name}” will be deleted. Flows that use it must be changed first.</p>}
          onCancel={() => setDeleting(undefined)}
          onConfirm={() => void act(() => api(`/credentials/${deleting.id}`, { method: 'DELETE' }), `Could not delete “${deleting.name}”`).finally(() => setDeleting(undefined))} />
      )}
    </div>
  );
}
