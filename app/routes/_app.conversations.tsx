import { useEffect, useMemo, useState } from 'react';
import type { MetaFunction } from '@remix-run/node';
import { useOutlet, useSearchParams } from '@remix-run/react';
import type { CredentialKindEntry } from '../../runtime/services/types.js';
import { api } from '~/editor/api';
import { ThreadList } from '~/editor/conversations/ThreadList';
import { InboxContext } from '~/editor/conversations/inbox-context';
import { useInboxStream } from '~/editor/conversations/useInboxStream';
import { useThreadList } from '~/editor/conversations/useThreadList';
import { EmptyState, ErrorBanner } from '~/editor/ui/bits';

export const meta: MetaFunction = () => [{ title: 'Conversations · Switchyard' }];

const STATUSES = [
  { value: 'unread', label: 'Unread' },
  { value: 'automated', label: 'Automated' },
  { value: 'paused', label: 'Person handling' },
  { value: 'blocked', label: 'Blocked' },
];

/**
 * The team's inbox: every channel's threads, newest first, filtered by channel and status and
 * searched by contact or account (kept in the URL, like the executions list); the open thread
 * (`/conversations/:id`) sits beside the list. Both follow the inbox's live stream (new
 * messages, statuses, pauses) and poll only while it is down; older threads load on request.
 */
export default function Conversations() {
  const outlet = useOutlet();
  const [params, setParams] = useSearchParams();
  const channel = params.get('channel') ?? '';
  const status = params.get('status') ?? '';
  const q = params.get('q') ?? '';
  const [typed, setTyped] = useState(q);
  const [kinds, setKinds] = useState<CredentialKindEntry[]>([]);

  useEffect(() => { api<CredentialKindEntry[]>('/credential-kinds').then(setKinds, () => {}); }, []);
  const channels = useMemo(() => kinds.filter((k) => k.inbound), [kinds]);
  const channelTitle = (kind: string) => kinds.find((k) => k.kind === kind)?.title ?? kind;

  const filters = new URLSearchParams();
  if (channel) filters.set('channel', channel);
  if (status) filters.set('status', status);
  if (q) filters.set('q', q);
  const stream = useInboxStream();
  const { threads, more, loadOlder, loadingOlder, error, reload } = useThreadList(filters.toString(), stream.connected, stream.subscribe);

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value); else next.delete(key);
    setParams(next, { replace: true });
  };
  // The search follows typing after a short pause, so each key press is not a request.
  useEffect(() => {
    if (typed.trim() === q) return;
    const timer = setTimeout(() => setFilter('q', typed.trim()), 300);
    return () => clearTimeout(timer);
    // setFilter is rebuilt each render; only typing and the URL's q decide.
  }, [typed, q]);
  // Back/forward moves the URL's search: the box follows.
  useEffect(() => { setTyped(q); }, [q]);

  const search = params.toString() ? `?${params}` : '';
  const filtered = Boolean(channel || status || q);
  return (
    <div className="page-inner wide" data-live={stream.connected ? 'on' : 'off'}>
      <div className="page-head">
        <h1>Conversations</h1>
        <input type="search" className="inbox-search" aria-label="Search conversations" placeholder="Search contacts or accounts"
          value={typed} onChange={(e) => setTyped(e.target.value)} maxLength={200} />
        <label className="row">Channel
          <select aria-label="Filter by channel" value={channel} onChange={(e) => setFilter('channel', e.target.value)}>
            <option value="">All channels</option>
            {channels.map((k) => <option key={k.kind} value={k.kind}>{k.title}</option>)}
          </select>
        </label>
        <label className="row">Status
          <select aria-label="Filter by status" value={status} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">Any status</option>
            {STATUSES.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
          </select>
        </label>
      </div>
      <ErrorBanner message={error} />
      <div className="inbox">
        <div className="inbox-list">
          {threads === undefined ? <p className="muted">Loading…</p> : threads.length === 0 ? (
            filtered ? (
              <EmptyState title="No conversations match">
                <p>Try another channel or status, or clear the search.</p>
              </EmptyState>
            ) : <EmptyState title="No conversations yet">
              <p>When someone writes to a connected account (a Telegram bot, a WhatsApp number, an Instagram account, an SMS number), the thread shows up here with every message your flows and your team sent back.</p>
            </EmptyState>
          ) : <>
            <ThreadList threads={threads} channelTitle={channelTitle} search={search} />
            {more && (
              <button type="button" className="small threads-older" disabled={loadingOlder} onClick={() => void loadOlder()}>
                {loadingOlder ? 'Loading…' : 'Show older conversations'}
              </button>
            )}
          </>}
        </div>
        <InboxContext.Provider value={{ channelTitle, refreshList: reload, subscribe: stream.subscribe, live: stream.connected }}>
          {outlet ?? (
            <div className="card pad inbox-placeholder muted">
              <p>Open a conversation to read it, reply, or take it over from automation.</p>
            </div>
          )}
        </InboxContext.Provider>
      </div>
    </div>
  );
}
