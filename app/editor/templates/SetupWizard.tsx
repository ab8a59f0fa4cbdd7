import { useState } from 'react';
import { useNavigate } from '@remix-run/react';
import type { CredentialSummary } from '../../../runtime/services/types.js';
import { plainMessage } from '../api';
import { TestConnection } from '../credentials/TestConnection';
import { CredentialModal } from '../inspector/CredentialModal';
import { useCredentials } from '../inspector/credentials';
import { ErrorBanner } from '../ui/bits';
import { importTemplate, type TemplateDetail } from './api';

/**
 * "Use this template": one step per credential slot — pick a saved credential of the slot's kind
 * or create one right here (the credentials page's own form, with Test connection) — then the flow
 * is created inactive and opens in the editor. Nothing is bound without the user choosing it; a
 * slot skipped stays unbound and the editor marks its nodes.
 */
export function SetupWizard({ template, onCancel }: { template: TemplateDetail; onCancel(): void }) {
  const navigate = useNavigate();
  const { credentials, kinds, refresh } = useCredentials();
  const slots = Object.entries(template.credentials);
  const [step, setStep] = useState(0);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [creating, setCreating] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const done = step >= slots.length;

  async function finish() {
    setBusy(true);
    setError(undefined);
    try {
      const result = await importTemplate(template.id, mapping);
      navigate(`/flows/${result.flowId}`);
    } catch (e) {
      setError(plainMessage(e));
      setBusy(false);
    }
  }

  const current = done ? undefined : slots[step];
  const ofKind = (kind: string) => credentials.filter((c) => c.kind === kind);
  return (
    <section className="card pad" aria-label="Set up this template" data-testid="setup-wizard">
      <h2 style={{ marginTop: 0 }}>Set up “{template.title}”</h2>
      {slots.length > 0 && (
        <ol className="row" style={{ listStyle: 'none', padding: 0, flexWrap: 'wrap' }} aria-label="Steps">
          {slots.map(([slot, info], i) => (
            <li key={slot} className={`badge${mapping[slot] ? ' succeeded' : ''}`} aria-current={i === step ? 'step' : undefined}>
              {i + 1}. {info.kindTitle}{mapping[slot] ? ' ✓' : ''}
            </li>
          ))}
          <li className="badge" aria-current={done ? 'step' : undefined}>{slots.length + 1}. Create the flow</li>
        </ol>
      )}
      <ErrorBanner message={error} />
      {current ? (() => {
        const [slot, info] = current;
        const choices = ofKind(info.kind);
        const chosen = mapping[slot];
        const testable = kinds.find((k) => k.kind === info.kind)?.testable === true;
        const chosenName = choices.find((c) => c.id === chosen)?.name ?? '';
        return (
          <div data-slot={slot}>
            <h3>{info.kindTitle} <span className="muted" style={{ fontWeight: 400 }}>(slot “{slot}”)</span></h3>
            <p className="muted">{info.help}</p>
            <label className="field"><span className="field-label">Credential</span>
              <select aria-label={`Credential for ${slot}`} value={chosen ?? ''} onChange={(e) => setMapping((m) => {
                const { [slot]: _old, ...rest } = m;
                return e.target.value ? { ...rest, [slot]: e.target.value } : rest;
              })}>
                <option value="">{choices.length ? 'Choose a saved credential…' : 'No saved credential of this kind'}</option>
                {choices.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              </select>
            </label>
            <div className="row" style={{ flexWrap: 'wrap' }}>
              <button type="button" className="small" onClick={() => setCreating(slot)}>Create a new {info.kindTitle} credential</button>
              {chosen && testable && <TestConnection key={chosen} credentialId={chosen} name={chosenName} />}
            </div>
            <div className="modal-actions">
              <button type="button" onClick={step === 0 ? onCancel : () => setStep(step - 1)}>{step === 0 ? 'Cancel' : 'Back'}</button>
              {!chosen && <button type="button" onClick={() => setStep(step + 1)}>Skip for now</button>}
              <button type="button" className="primary" disabled={!chosen} onClick={() => setStep(step + 1)}>Next</button>
            </div>
            {creating === slot && (
              <CredentialModal kinds={kinds.filter((k) => k.kind === info.kind)} onClose={() => setCreating(undefined)}
                onCreated={(c: CredentialSummary) => {
                  setCreating(undefined);
                  void refresh().then(() => setMapping((m) => ({ ...m, [slot]: c.id })));
                }} />
            )}
          </div>
        );
      })() : (
        <div>
          {slots.length === 0 ? <p>This template needs no credentials.</p> : (
            <ul>
              {slots.map(([slot, info]) => (
                <li key={slot}>{info.kindTitle}: {mapping[slot]
                  ? <strong>{credentials.find((c) => c.id === mapping[slot])?.name ?? 'chosen'}</strong>
                  : <span className="badge failed">not set — marked in the editor; the flow cannot be turned on until it is</span>}</li>
              ))}
            </ul>
          )}
          <p className="muted">The flow is created turned off. Check it in the editor, then turn it on.</p>
          <div className="modal-actions">
            <button type="button" onClick={slots.length === 0 ? onCancel : () => setStep(slots.length - 1)}>{slots.length === 0 ? 'Cancel' : 'Back'}</button>
            <button type="button" className="primary" disabled={busy} onClick={() => void finish()}>{busy ? 'Creating…' : 'Create flow'}</button>
          </div>
        </div>
      )}
    </section>
  );
}
