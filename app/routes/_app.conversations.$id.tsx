import { useEffect, useRef, useState } from 'react';
import type { MetaFunction } from '@remix-run/node';
import { useParams } from '@remix-run/react';
import type { ConversationDetail, ConversationMessageRecord, ConversationSummary } from '../../runtime/services/types.js';
import { api, plainMessage, timeAgo } from '~/editor/api';
import { useInbox } from '~/editor/conversations/inbox-context';
import { MessageItem } from '~/editor/conversations/MessageItem';
import { contactLabel, mergeTimeline } from '~/editor/conversations/message-parts';
import { ReplyBox } from '~/editor/conversations/ReplyBox';
import { usePolling } from '~/editor/conversations/usePolling';
import { ErrorBanner, Toggle } from '~/editor/ui/bits';

export const meta: MetaFunction = () => [{ title: 'Conversation · Switchyard' }];

/** How often an open thread asks for new messages and delivery statuses while the tab is visible. */
const REFRESH_MS = 3000;

/**
 * One thread: the contact's messages and the account's replies, oldest first, with delivery
 * statuses and the execution behind each automated reply; a person replies here, and can pause
 * automation for the contact (channel triggers that honour it then leave the contact to people).
 */
export default function ConversationThread() {
  const { id = '' } = useParams();
  const { channelTitle, refreshList } = useInbox();
  const { data: thread, error, setError, reload } = usePolling(id,
    (signal) => api<ConversationDetail>(`/conversations/${encodeURIComponent(id)}`, { signal }), REFRESH_MS);
  /** Pages before the latest one, loaded on request. */
  const [older, setOlder] = useState<{ messages: ConversationMessageRecord[]; nextBefore: string | null }>();
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [pausing, setPausing] = useState(false);
  const [paused, setPaused] = useState<boolean>();
  const end = useRef<HTMLLIElement>(null);

  useEffect(() => { setOlder(undefined); setPaused(undefined); }, [id]);
  const messages = thread ? mergeTimeline(older?.messages ?? [], thread.messages) : [];
  const lastId = messages.at(-1)?.id;
  // A new message at the bottom scrolls into view (older pages load above without moving it).
  useEffect(() => { end.current?.scrollIntoView({ block: 'nearest' }); }, [lastId]);

  async function loadOlder(before: string) {
    setLoadingOlder(true);
    try {
      const page = await api<ConversationDetail>(`/conversations/${encodeURIComponent(id)}?before=${encodeURIComponent(before)}`);
      setOlder((o) => ({ messages: [...page.messages, ...(o?.messages ?? [])], nextBefore: page.nextBefore }));
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
      const summary = await api<ConversationSummary>(`/conversations/${encodeURIComponent(id)}/automation`, { method: 'POST', body: { paused: pause } });
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
  const nextBefore = older ? older.nextBefore : thread.nextBefore;
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
        {nextBefore !== null && (
          <li className="older">
            <button type="button" className="small" disabled={loadingOlder} onClick={() => void loadOlder(nextBefore)}>
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
