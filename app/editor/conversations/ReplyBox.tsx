import { useId, useState, type FormEvent } from 'react';
import type { ConversationMessageRecord } from '../../../runtime/services/types.js';
import { api, plainMessage } from '../api';

/** The API's limit for a reply typed in the inbox (providers split or refuse beyond their own). */
const MAX_REPLY = 4096;

/**
 * A person replies to the contact: sent through the channel by the account (its provider's
 * `replyText`), then shown in the thread. Ctrl+Enter (⌘Enter) sends too.
 */
export function ReplyBox({ conversationId, blocked, onSent }: {
  conversationId: string;
  /** The contact blocked the account: say that the provider will likely refuse. */
  blocked: boolean;
  onSent(message: ConversationMessageRecord): void;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function send(event?: FormEvent) {
    event?.preventDefault();
    if (!text.trim() || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const sent = await api<ConversationMessageRecord>(`/conversations/${encodeURIComponent(conversationId)}/messages`, { method: 'POST', body: { text } });
      setText('');
      onSent(sent);
    } catch (e) {
      setError(plainMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="reply-box" onSubmit={(e) => void send(e)}>
      {error && <div role="alert" className="banner error">Not sent: {error}</div>}
      {blocked && <p className="muted field-help">This contact blocked the account, so the provider will probably refuse new messages.</p>}
      <label className="visually-hidden" htmlFor={`${id}-reply`}>Reply</label>
      <div className="row">
        <textarea id={`${id}-reply`} className="grow" rows={2} value={text} maxLength={MAX_REPLY} placeholder="Write a reply…"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void send(); }} />
        <button type="submit" className="primary" disabled={busy || !text.trim()}>{busy ? 'Sending…' : 'Send'}</button>
      </div>
    </form>
  );
}
