import { useState, type FormEvent } from 'react';
import type { CredentialKindEntry, CredentialSummary } from '../../../runtime/services/types.js';
import { api, plainMessage } from '../api';
import { SchemaForm } from '../form/SchemaForm';
import { ErrorBanner } from '../ui/bits';
import { Modal } from '../ui/Modal';

/**
 * Creates a credential of one of `kinds`. The secret fields are sent once and never shown again:
 * the server returns only the name and kind, and this form is cleared when it closes.
 */
export function CredentialModal({ kinds, onClose, onCreated }: { kinds: CredentialKindEntry[]; onClose(): void; onCreated(c: CredentialSummary): void }) {
  const [kind, setKind] = useState(kinds[0]?.kind ?? '');
  const [name, setName] = useState('');
  const [data, setData] = useState<Record<string, unknown>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const entry = kinds.find((k) => k.kind === kind);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await api<CredentialSummary>('/credentials', { method: 'POST', body: { name: name.trim() || entry?.title || kind, kind, data } });
      onCreated(created);
    } catch (e) {
      setError(plainMessage(e));
      setBusy(false);
    }
  }

  return (
    <Modal title="New credential" onClose={onClose} busy={busy}>
      <form onSubmit={submit} autoComplete="off">
        <ErrorBanner message={error} />
        {kinds.length > 1 && (
          <label className="field"><span className="field-label">Type</span>
            <select value={kind} onChange={(e) => { setKind(e.target.value); setData({}); }}>
              {kinds.map((k) => <option key={k.kind} value={k.kind}>{k.title}</option>)}
            </select>
          </label>
        )}
        {entry?.description && <p className="muted">{entry.description}</p>}
        <div className="field">
          <label className="field-label" htmlFor="cred-name">Name</label>
          <input id="cred-name" value={name} onChange={(e) => setName(e.target.value)} placeholder={entry?.title ?? 'My credential'} maxLength={200} aria-describedby="cred-name-help" />
          <span className="field-help" id="cred-name-help">How you will recognise it in lists, e.g. “Shop API (live)”.</span>
        </div>
        {entry && <SchemaForm schema={entry.schema} value={data} onChange={(next) => setData(next)} idPrefix="cred" />}
        <p className="muted" style={{ fontSize: 12 }}>Secrets are stored encrypted and are never shown again, not even to you.</p>
        <div className="modal-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy || !entry}>{busy ? 'Saving…' : 'Save credential'}</button>
        </div>
      </form>
    </Modal>
  );
}
