import { useState } from 'react';
import { useWebhookListener } from './useWebhookListener';

export interface ListenProps {
  /** `<origin>/hooks/<path>`. */
  url: string;
  active: boolean;
  /** Saves if needed and turns the flow on; resolves once done (refusals are shown by the editor). */
  activate(): Promise<void>;
  /** Saves unsaved changes (a call runs the saved version); resolves to the flow id, or undefined if not saved. */
  prepare(): Promise<string | undefined>;
  /** A call arrived: show its execution live. */
  onExecution(executionId: string): void;
}

/**
 * "Listen for a test webhook call": the URL to call, a reminder that the flow must be active (with
 * a button to activate it), then waiting until a call arrives; its run then shows on the canvas.
 */
export function WebhookListen({ url, active, activate, prepare, onExecution }: ListenProps) {
  const { state, start, stop } = useWebhookListener(onExecution);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  const example = `curl -X POST ${url} -H 'content-type: application/json' -d '{"message":"hello"}'`;

  const listen = async () => {
    setBusy(true);
    try {
      const id = await prepare();
      if (id) await start(id);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="stack" data-testid="webhook-listen">
      <div className="field">
        <label className="field-label" htmlFor="webhook-url">Send a request to this address</label>
        <div className="row">
          <input id="webhook-url" className="mono grow" readOnly value={url} aria-describedby="webhook-url-help" onFocus={(e) => e.target.select()} />
          <button type="button" className="small" aria-label="Copy the address" onClick={() => {
            void navigator.clipboard?.writeText(url).then(() => setCopied(true), () => setCopied(false));
          }}>{copied ? 'Copied' : 'Copy'}</button>
        </div>
        <div className="field-help" id="webhook-url-help">For example from a terminal: <code>{example}</code></div>
      </div>
      {!active && (
        <div className="banner info row" role="status">
          <span className="grow">The flow must be <strong>active</strong> to receive calls. It will really run when called.</span>
          <button type="button" className="small primary" disabled={busy} onClick={() => {
            setBusy(true);
            void activate().finally(() => setBusy(false));
          }}>Activate the flow</button>
        </div>
      )}
      {state.phase === 'listening' ? (
        <div className="banner info row" role="status" aria-live="polite">
          <span className="grow">Listening… call the address above. The run shows on the canvas as soon as it arrives.</span>
          <button type="button" className="small" onClick={stop}>Stop listening</button>
        </div>
      ) : (
        <>
          {state.phase === 'timeout' && <div className="banner error" role="alert">No call arrived in 2 minutes. Check the address and that the flow is active, then listen again.</div>}
          {state.phase === 'error' && <div className="banner error" role="alert">Could not listen: {state.message}</div>}
          <div className="modal-actions">
            <button type="button" className="primary" disabled={!active || busy} onClick={() => void listen()}>
              {state.phase === 'idle' ? 'Listen for a test call' : 'Listen again'}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
