import { useEffect, useId, useState } from 'react';
import type { EscalationSummary } from '../../../runtime/index.js';
import { api, plainMessage } from '../api';

/** The API's limit for a decision's text. */
const MAX_TEXT = 10_000;

type Decision = { action: 'approve' | 'reject' | 'reply'; text?: string };

/**
 * A person's decision on an open escalation: approve the draft as it is, edit it and approve the
 * edit, reject it, or answer in their own words. The first decision counts; a later one (another
 * person was quicker) comes back as "already decided by …" and the page shows theirs.
 */
export function DecisionForm({ escalation, onDecided }: { escalation: EscalationSummary; onDecided(): void }) {
  const id = useId();
  const draft = escalation.draft ?? '';
  const [text, setText] = useState(draft);
  const [own, setOwn] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => { setText(escalation.draft ?? ''); setOwn(''); setError(undefined); }, [escalation.id, escalation.draft]);

  const edited = text.trim() !== '' && text !== draft;
  async function decide(decision: Decision) {
    setBusy(true);
    setError(undefined);
    try {
      await api(`/escalations/${encodeURIComponent(escalation.id)}/decision`, { method: 'POST', body: decision });
    } catch (e) {
      setError(plainMessage(e));
    } finally {
      setBusy(false);
      onDecided();
    }
  }

  return (
    <div className="decision">
      {error && <div role="alert" className="banner error">Not decided: {error}</div>}
      <label className="field-label" htmlFor={`${id}-text`}>Reply to send</label>
      <textarea id={`${id}-text`} rows={4} value={text} maxLength={MAX_TEXT} onChange={(e) => setText(e.target.value)}
        placeholder={draft ? undefined : 'No draft: write the reply'} />
      <div className="row decision-actions">
        <button type="button" className="primary" disabled={busy || !draft || text !== draft} onClick={() => void decide({ action: 'approve' })}>Approve</button>
        <button type="button" disabled={busy || !edited} onClick={() => void decide({ action: 'approve', text })}>Edit &amp; approve</button>
        <button type="button" className="danger" disabled={busy} onClick={() => void decide({ action: 'reject' })}>Reject</button>
        {edited && <span className="muted">Edited: the flow sends your version; the draft is kept next to it.</span>}
      </div>
      <label className="field-label" htmlFor={`${id}-own`}>Or reply in your own words</label>
      <textarea id={`${id}-own`} rows={3} value={own} maxLength={MAX_TEXT} onChange={(e) => setOwn(e.target.value)} placeholder="Write your own answer…" />
      <div className="row decision-actions">
        <button type="button" disabled={busy || !own.trim()} onClick={() => void decide({ action: 'reply', text: own })}>Send my reply</button>
      </div>
    </div>
  );
}
