import { useState } from 'react';
import { useChannelListener } from './useChannelListener';

export interface ChannelTestListenProps {
  nodeId: string;
  /** Saves unsaved changes (the test run uses the saved version); resolves to the flow id, or undefined if not saved. */
  prepare(): Promise<string | undefined>;
  /** The event arrived: show its test run live. */
  onExecution(executionId: string): void;
}

/**
 * "Listen for a test event" for a channel trigger: the account's next event that this trigger
 * matches also starts a test run of the saved flow, shown on the canvas like a manual run. Active
 * flows keep receiving their events, and the provider's webhook is not touched.
 */
export function ChannelTestListen({ nodeId, prepare, onExecution }: ChannelTestListenProps) {
  const { state, start, stop } = useChannelListener(onExecution);
  const [busy, setBusy] = useState(false);

  const listen = async () => {
    setBusy(true);
    try {
      const flowId = await prepare();
      if (flowId) await start(flowId, nodeId);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="stack" data-testid="channel-listen" style={{ marginTop: 12 }}>
      {state.phase === 'listening' ? (
        <div className="banner info row" role="status" aria-live="polite">
          <span className="grow">Listening for 2 minutes… send a message to this account. The test run shows on the canvas as soon as it arrives.</span>
          <button type="button" className="small" onClick={stop}>Stop listening</button>
        </div>
      ) : (
        <>
          {state.phase === 'timeout' && <div className="banner error" role="alert">No matching event arrived in 2 minutes. Check the trigger's filters and that the provider delivers to this account, then listen again.</div>}
          {state.phase === 'error' && <div className="banner error" role="alert">Could not listen: {state.message}</div>}
          <button type="button" disabled={busy} onClick={() => void listen()}>
            {state.phase === 'idle' ? 'Listen for a test event' : 'Listen again'}
          </button>
          <div className="field-help">The next event this trigger matches also starts a test run of the saved flow. Active flows keep receiving theirs.</div>
        </>
      )}
    </div>
  );
}
