import { useState } from 'react';
import type { CredentialFieldsPatch, CredentialTestOutcome } from '../../../runtime/services/types.js';
import { api, plainMessage } from '../api';

type State = { phase: 'idle' } | { phase: 'testing' } | { phase: 'done'; ok: boolean; message: string };

/**
 * "Test connection" for one saved credential (only rendered for testable kinds). With `edits`, the
 * values typed in an edit form are tried before saving: the server merges them over the stored
 * fields, so a secret left untouched is tested with its stored value without ever being sent here.
 * The answer is the server's plain-words message; it never holds the secret, and is rendered as text.
 */
export function TestConnection({ credentialId, name, edits }: {
  credentialId: string;
  name: string;
  /** The edit to try, read when the button is pressed. Default: test the stored fields. */
  edits?: () => CredentialFieldsPatch;
}) {
  const [state, setState] = useState<State>({ phase: 'idle' });

  async function run() {
    setState({ phase: 'testing' });
    try {
      const body = edits ? { data: edits() } : undefined;
      const result = await api<CredentialTestOutcome>(`/credentials/${credentialId}/test`, { method: 'POST', body });
      setState({ phase: 'done', ok: result.ok, message: result.message });
    } catch (e) {
      setState({ phase: 'done', ok: false, message: plainMessage(e) });
    }
  }

  return (
    <>
      <button type="button" className="small ghost" onClick={() => void run()} disabled={state.phase === 'testing'}
        aria-label={`Test connection of ${name}`}>
        {state.phase === 'testing' ? 'Testing…' : 'Test connection'}
      </button>
      {/* A live region, so a screen reader hears the outcome without moving focus. */}
      <span role="status" className="test-result">
        {state.phase === 'done' && (
          <>
            <span className={`badge ${state.ok ? 'succeeded' : 'failed'}`}>{state.ok ? 'Works' : 'Failed'}</span>{' '}
            <span className="muted">{state.message}</span>
          </>
        )}
      </span>
    </>
  );
}
