import { NavLink } from '@remix-run/react';
import type { ConversationSummary } from '../../../runtime/services/types.js';
import { timeAgo } from '../api';
import { contactLabel, previewOf } from './message-parts';

/**
 * The inbox's threads, newest first: one per contact of a channel account. Each is a link named by
 * the contact (the rest of the row is its description), so the whole row opens the thread.
 */
export function ThreadList({ threads, channelTitle, search }: {
  threads: ConversationSummary[];
  channelTitle(kind: string): string;
  /** The list's filters (`?channel=…`), kept when a thread opens. */
  search: string;
}) {
  return (
    <ul className="threads card" aria-label="Conversations">
      {threads.map((t) => {
        const name = contactLabel(t.contact);
        const detailsId = `thread-${t.id}-details`;
        return (
          <li key={t.id} className={`thread${t.unread > 0 ? ' unread' : ''}`} data-conversation-id={t.id}>
            <div className="thread-top">
              <NavLink className="thread-link" to={`/conversations/${t.id}${search}`} aria-describedby={detailsId}>{name}</NavLink>
              <span className="muted thread-time" title={t.lastMessageAt}>{timeAgo(t.lastMessageAt)}</span>
            </div>
            <div id={detailsId}>
              <div className="thread-preview">{previewOf(t.lastMessage) || <span className="muted">No messages</span>}</div>
              <div className="thread-meta">
                <span className="badge">{channelTitle(t.channel)}</span>
                <span className="muted">{t.accountName ?? 'Deleted account'}</span>
                {t.contact.name && <span className="muted mono">{t.contact.id}</span>}
                {t.unread > 0 && <span className="badge running">{t.unread} new</span>}
                {t.automationPaused && <span className="badge waiting">Person handling</span>}
                {t.blocked && <span className="badge failed">Blocked</span>}
              </div>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
