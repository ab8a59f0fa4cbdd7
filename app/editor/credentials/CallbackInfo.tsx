import { useEffect, useState } from 'react';
import { plainMessage } from '../api';
import { CopyField } from './CopyField';
import { loadCredential, type CredentialWithInbound } from './inbound-info';

/** Why the URL matters, in one sentence under it. */
const CALLBACK_HELP = 'Where the provider delivers messages and events. Paste it where its console asks for a webhook or callback URL; Telegram bots get it set when a flow with a Telegram trigger is activated.';

/**
 * What to paste in the provider's console for an account whose provider calls back: its callback
 * URL and, for providers that check one (Meta), the verify token, each with a Copy button.
 */
export function CallbackFields({ credential, help = true }: {
  credential: Pick<CredentialWithInbound, 'id' | 'name' | 'callbackUrl' | 'verifyToken'>;
  /** Explain what the URL is for. Default: true. */
  help?: boolean;
}) {
  if (!credential.callbackUrl) return null;
  return (
    <div className="callback-info stack" data-testid="callback-info">
      <CopyField id={`callback-${credential.id}`} label="Callback URL" of={credential.name} value={credential.callbackUrl}
        help={help ? CALLBACK_HELP : undefined} />
      {credential.verifyToken && (
        <CopyField id={`verify-${credential.id}`} label={credential.verifyToken.label} of={credential.name} value={credential.verifyToken.value}
          help={help ? `Paste it next to the callback URL, where the console asks for “${credential.verifyToken.label}”.` : undefined} />
      )}
    </div>
  );
}

/** {@link CallbackFields} for a saved credential, loaded by id (a list row knows only id and name). */
export function CallbackInfo({ credentialId, name }: { credentialId: string; name: string }) {
  const [loaded, setLoaded] = useState<CredentialWithInbound>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const controller = new AbortController();
    loadCredential(credentialId, controller.signal).then(setLoaded, (e: unknown) => { if (!controller.signal.aborted) setError(plainMessage(e)); });
    return () => controller.abort();
  }, [credentialId]);
  if (error) return <p className="muted" role="status">Could not load the callback URL of {name}: {error}</p>;
  return loaded ? <CallbackFields credential={{ ...loaded, name }} help={false} /> : null;
}
