import { useEffect, useRef, useState } from 'react';
import type { MetaFunction } from '@remix-run/node';
import { useParams } from '@remix-run/react';
import type { ConversationDetail, ConversationMessageRecord, ConversationSummary } from '../../runtime/services/types.js';
import { api, plainMessage, timeAgo } from '~/editor/api';
import { useInbox } from '~/editor/conversations/inbox-context';
import { MessageItem } from '~/editor/conversations/MessageItem';
import { contactLabel } from '~/editor/conversations/message-parts';
import { appendOlder, justAfter, messageOrder, oldestOf, refreshNewest } from '~/editor/conversations/paging';
import { ReplyBox } from '~/editor/conversations/ReplyBox';
import { useReloadOn } from '~/editor/conversations/useInboxStream';
import { usePolling } from '~/editor/conversations/usePolling';
import { ErrorBanner, Toggle } from '~/editor/ui/bits';

export const meta: MetaFunction = () => [{ title: 'Conversation · Switchyard' }];

/** How often an open thread asks for new messages and delivery statuses while the live stream is down. */
const FALLBACK_REFRESH_MS = 3000;

/**
 * One thread: the contact's messages and the account's replies, oldest first, with delivery
 * statuses and the execution behind each automated reply; a person replies here, and can pause
 * automation for the contact (channel triggers that honour it then leave the contact to people).
 * The newest page is refetched when the inbox's live stream names this thread; older pages load
 * on request and stay (see `paging.ts`).
 */
export default function ConversationThread() {
  const { id = '' } = useParams();
  const { channelTitle, refreshList, subscribe, live } = useInbox();
  const path = `/conversations/${encodeURIComponent(id)}`;
  const { data: thread, error, setError, reload } = usePolling(id,
    (signal) => api<ConversationDetail>(path, { signal }), live ? null : FALLBACK_REFRESH_MS);
  // Not on `read`: reading this thread is what the refetch itself does.
  useReloadOn(subscribe, (signal) => (signal.type === 'ready' ? signal.reconnected
    : signal.change.truncated === true || signal.change.threads.some((t) => t.id === id && t.changes.some((c) => c !== 'read'))), reload);
  /** The messages shown (the newest page and the older ones loaded on request), and whether older ones exist. */
  const [shown, setShown] = useState<{ id: string; rows: ConversationMessageRecord[]; more: boolean }>();
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [pausing, setPausing] = useState(false);
  const [paused, setPaused] = useState<boolean>();
  const end = useRef<HTMLLIElement>(null);

  useEffect(() => { setPaused(undefined); }, [id]);
  useEffect(() => {
    if (!thread) return;
    setShown((s) => {
      const full = thread.nextBefore !== null;
      const rows = refreshNewest(s?.id === id ? s.rows : [], thread.messages, full, messageOrder);
      return { id, rows, more: full && (rows.length === thread.messages.length || s?.id !== id || s.more) };
    });
  }, [thread, id]);
  const current = shown?.id === id ? shown : undefined;
  const messages = current?.rows ?? [];
  const lastId = messages.at(-1)?.id;
  // A new message at the bottom scrolls into view (older pages load above without moving it).
  useEffect(() => { end.current?.scrollIntoView({ block: 'nearest' }); }, [lastId]);

  async function loadOlder() {
    const oldest = current && oldestOf(current.rows, messageOrder);
    if (!oldest) return;
    setLoadingOlder(true);
    try {
      let page = await api<ConversationDetail>(`${path}?before=${encodeURIComponent(justAfter(oldest.createdAt))}`);
      if (page.nextBefore !== null && appendOlder(current.rows, page.messages, messageOrder).added === 0) {
        // A whole page within the oldest message's millisecond: step past it rather than ask for it forever.
        page = await api<ConversationDetail>(`${path}?before=${encodeURIComponent(oldest.createdAt)}`);
      }
      setShown((s) => (s?.id === id ? { id, rows: appendOlder(s.rows, page.messages, messageOrder).rows, more: page.nextBefore !== null } : s));
    } catch (e) {
      setError(plainMessage(e));
    } finally {
      setLoadingOlder(false);
    }
  }

  async function setAutomation(pause: boolean) {
    setPausing(true);
    setError(undefined);
    try {
      const summary = await api<ConversationSummary>(`${path}/automation`, { method: 'POST', body: { paused: pause } });
      // Shown at once; the thread's next answer is authoritative again.
      setPaused(summary.automationPaused);
      await Promise.all([reload(), refreshList()]);
      setPaused(undefined);
    } catch (e) {
      setError(plainMessage(e));
    } finally {
      setPausing(false);
    }
  }

  if (!thread) {
    return <section className="card pad thread-pane">{error ? <ErrorBanner message={error} /> : <p className="muted">Loading…</p>}</section>;
  }
  const name = contactLabel(thread.contact);
  const isPaused = paused ?? thread.automationPaused;
  return (
    <section className="card thread-pane" aria-label={`Conversation with ${name}`}>
      <header className="thread-head">
        <div className="grow">
          <h2>{name}</h2>
          <div className="muted thread-sub">
            {channelTitle(thread.channel)} · {thread.accountName ?? 'Deleted account'} · <span className="mono">{thread.contact.id}</span>
            {thread.lastInboundAt && <> · last wrote {timeAgo(thread.lastInboundAt)}</>}
          </div>
        </div>
        {thread.blocked && <span className="badge failed">Blocked the account</span>}
        <div className="row automation">
          <Toggle label="Automation" checked={!isPaused} disabled={pausing} onChange={(on) => void setAutomation(!on)} />
          <span aria-live="polite">{isPaused ? 'Paused: a person is handling this contact' : 'Automation on'}</span>
        </div>
      </header>
      <ErrorBanner message={error} />
      <ol className="messages" aria-label="Messages">
        {current?.more && (
          <li className="older">
            <button type="button" className="small" disabled={loadingOlder} onClick={() => void loadOlder()}>
              {loadingOlder ? 'Loading…' : 'Show older messages'}
            </button>
          </li>
        )}
        {messages.length === 0 && <li className="muted older">No messages yet.</li>}
        {messages.map((m) => <MessageItem key={m.id} message={m} />)}
        <li ref={end} aria-hidden="true" className="messages-end" />
      </ol>
      <ReplyBox conversationId={id} blocked={thread.blocked} onSent={() => void Promise.all([reload(), refreshList()])} />
    </section>
  );
}
