import { useState } from 'react';
import { Modal } from '../ui/Modal';

/**
 * The input of a test run: JSON for a manual trigger; for a webhook trigger, the request as the
 * flow will see it (`body`, `query`, `headers`, `method`) plus the URL a real caller would use.
 */
export function RunDialog({ trigger, webhookUrl, onRun, onClose }: { trigger: string | undefined; webhookUrl?: string; onRun(input: unknown): void; onClose(): void }) {
  const initial = trigger === 'webhook'
    ? JSON.stringify({ method: 'POST', body: { message: 'hello' }, query: {}, headers: { 'content-type': 'application/json' } }, null, 2)
    : '{}';
  const [text, setText] = useState(() => (typeof window !== 'undefined' && window.localStorage.getItem('sy-run-input')) || initial);
  const [error, setError] = useState<string>();
  return (
    <Modal title="Test run" onClose={onClose}>
      <form onSubmit={(e) => {
        e.preventDefault();
        try {
          const input: unknown = JSON.parse(text);
          window.localStorage.setItem('sy-run-input', text);
          onRun(input);
        } catch (err) {
          setError(`The input is not valid JSON: ${err instanceof Error ? err.message : 'parse error'}`);
        }
      }}>
        <label className="field" htmlFor="run-input">
          <span className="field-label">{trigger === 'webhook' ? 'Pretend this request arrived' : 'Trigger input (JSON)'}</span>
          <textarea id="run-input" className="mono" rows={10} value={text} aria-invalid={!!error} onChange={(e) => { setText(e.target.value); setError(undefined); }} />
          {error && <span className="field-error" role="alert">{error}</span>}
          <span className="field-help">The first node receives this as <code>$json</code>. The saved version of the flow runs.</span>
        </label>
        {webhookUrl && <p className="muted">Once the flow is active, callers send requests to <code>{webhookUrl}</code>.</p>}
        <div className="modal-actions">
          <button type="button" onClick={() => setText(initial)}>Reset</button>
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary">Run now</button>
        </div>
      </form>
    </Modal>
  );
}
