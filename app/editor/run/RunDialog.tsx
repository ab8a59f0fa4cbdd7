import { useState } from 'react';
import { Modal } from '../ui/Modal';
import { WebhookListen, type ListenProps } from './WebhookListen';

/**
 * The input of a test run: JSON for a manual trigger; for a webhook trigger, either the request as
 * the flow will see it (`body`, `query`, `headers`, `method`), or listening for a real call to the
 * flow's webhook URL.
 */
export function RunDialog({ trigger, listen, pinCount = 0, onRun, onClose }: {
  trigger: string | undefined;
  /** Given for webhook-triggered flows with a path. */
  listen?: ListenProps;
  /** How many pinned outputs go with the run. */
  pinCount?: number;
  onRun(input: unknown): void;
  onClose(): void;
}) {
  const [mode, setMode] = useState<'sample' | 'listen'>('sample');
  const initial = trigger === 'webhook'
    ? JSON.stringify({ method: 'POST', body: { message: 'hello' }, query: {}, headers: { 'content-type': 'application/json' } }, null, 2)
    : '{}';
  const [text, setText] = useState(() => (typeof window !== 'undefined' && window.localStorage.getItem('sy-run-input')) || initial);
  const [error, setError] = useState<string>();
  return (
    <Modal title="Test run" onClose={onClose}>
      {listen && (
        <div className="tabs" role="tablist" aria-label="How to test">
          <button type="button" role="tab" aria-selected={mode === 'sample'} onClick={() => setMode('sample')}>Use sample data</button>
          <button type="button" role="tab" aria-selected={mode === 'listen'} onClick={() => setMode('listen')}>Listen for a test webhook call</button>
        </div>
      )}
      {pinCount > 0 && <p className="muted">📌 {pinCount} pinned output{pinCount > 1 ? 's are' : ' is'} sent with sample-data runs.</p>}
      {listen && mode === 'listen' ? <WebhookListen {...listen} /> : (
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
          {listen && <p className="muted">Once the flow is active, callers send requests to <code>{listen.url}</code>.</p>}
          <div className="modal-actions">
            <button type="button" onClick={() => setText(initial)}>Reset</button>
            <button type="button" onClick={onClose}>Cancel</button>
            <button type="submit" className="primary">Run now</button>
          </div>
        </form>
      )}
    </Modal>
  );
}
