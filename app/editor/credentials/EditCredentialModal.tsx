import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { CredentialKindEntry, CredentialSummary } from '../../../runtime/services/types.js';
import { api, plainMessage, problemsOf } from '../api';
import { SchemaForm } from '../form/SchemaForm';
import { ErrorBanner } from '../ui/bits';
import { Modal } from '../ui/Modal';
import { CallbackFields } from './CallbackInfo';
import { editSchema, fieldErrors, fieldsPatch } from './edit-form';
import { loadCredential, type CredentialWithInbound } from './inbound-info';
import { TestConnection } from './TestConnection';

/**
 * Edits a saved credential in place: its id stays, so the flows that use it stay bound. The form is
 * the kind's own schema; a secret that is set shows as set and is sent only when typed anew (the
 * browser never has the stored value). "Test connection" tries the typed values before saving.
 */
export function EditCredentialModal({ credentialId, kinds, onClose, onSaved }: {
  credentialId: string;
  kinds: CredentialKindEntry[];
  onClose(): void;
  onSaved(c: CredentialSummary): void;
}) {
  const [detail, setDetail] = useState<CredentialWithInbound>();
  const [name, setName] = useState('');
  const [data, setData] = useState<Record<string, unknown>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    loadCredential(credentialId, controller.signal).then((loaded) => {
      setDetail(loaded);
      setName(loaded.name);
      setData(loaded.fields);
    }, (e: unknown) => { if (!controller.signal.aborted) setError(plainMessage(e)); });
    return () => controller.abort();
  }, [credentialId]);

  const entry = kinds.find((k) => k.kind === detail?.kind);
  const schema = useMemo(() => (entry && detail ? editSchema(entry.schema, detail.secretsSet) : undefined), [entry, detail]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!detail) return;
    setBusy(true);
    setError(undefined);
    setErrors({});
    try {
      const patch = fieldsPatch(detail, data);
      const body = { ...(name.trim() !== detail.name ? { name: name.trim() } : {}), ...(Object.keys(patch).length ? { data: patch } : {}) };
      onSaved(Object.keys(body).length ? await api<CredentialSummary>(`/credentials/${credentialId}`, { method: 'PATCH', body }) : detail);
    } catch (e) {
      setErrors(fieldErrors(problemsOf(e)));
      setError(plainMessage(e));
      setBusy(false);
    }
  }

  return (
    <Modal title="Edit credential" onClose={onClose} busy={busy}>
      <form onSubmit={submit} autoComplete="off">
        <ErrorBanner message={error} />
        {detail && (
          <>
            {entry?.description && <p className="muted">{entry.description}</p>}
            <div className="field">
              <label className="field-label" htmlFor="cred-edit-name">Name</label>
              <input id="cred-edit-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
            </div>
            {schema
              ? <SchemaForm schema={schema} value={data} errors={errors} onChange={(next) => setData(next)} idPrefix="cred-edit" />
              : <p className="muted">The kind “{detail.kind}” is not installed, so only the name can be changed.</p>}
            <p className="muted" style={{ fontSize: 12 }}>Flows that use this credential keep using it and get the new values from their next step on.</p>
            <CallbackFields credential={detail} />
            {entry?.testable && (
              <div className="row" style={{ flexWrap: 'wrap', marginTop: 8 }}>
                <TestConnection credentialId={credentialId} name={name || detail.name} edits={() => fieldsPatch(detail, data)} />
              </div>
            )}
          </>
        )}
        <div className="modal-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy || !detail}>{busy ? 'Saving…' : 'Save changes'}</button>
        </div>
      </form>
    </Modal>
  );
}
