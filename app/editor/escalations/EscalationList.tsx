import { NavLink } from '@remix-run/react';
import type { EscalationSummary } from '../../../runtime/index.js';
import { timeAgo } from '../api';
import { statusLabel } from './labels';

/**
 * The inbox's escalations, newest first. Each is a link named by its title (the rest of the row
 * describes it), so the whole row opens it. Everything shown is text: an escalated message's markup
 * is never rendered as HTML.
 */
export function EscalationList({ escalations, search }: { escalations: EscalationSummary[]; search: string }) {
  return (
    <ul className="threads card" aria-label="Escalations">
      {escalations.map((e) => {
        const detailsId = `escalation-${e.id}-details`;
        const status = statusLabel(e);
        return (
          <li key={e.id} className={`thread${e.status === 'open' ? ' unread' : ''}`} data-escalation-id={e.id}>
            <div className="thread-top">
              <NavLink className="thread-link" to={`/escalations/${e.id}${search}`} aria-describedby={detailsId}>{e.title}</NavLink>
              <span className="muted thread-time" title={e.createdAt}>{timeAgo(e.createdAt)}</span>
            </div>
            <div id={detailsId}>
              <div className="thread-preview">{e.message ?? e.draft ?? <span className="muted">No message</span>}</div>
              <div className="thread-meta">
                <span className={`badge ${status.tone}`}>{status.label}</span>
                <span className="muted">{e.flowName ?? 'Deleted flow'}</span>
                {e.reasons.length > 0 && <span className="muted">{e.reasons.join('; ')}</span>}
              </div>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
