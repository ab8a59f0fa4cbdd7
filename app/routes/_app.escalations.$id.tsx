import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import type { EscalationDetail } from '../../runtime/index.js';
import { api } from '~/editor/api';
import { useEscalations } from '~/editor/escalations/context';
import { DecisionForm } from '~/editor/escalations/DecisionForm';
import { statusLabel } from '~/editor/escalations/labels';
import { linkState } from '~/editor/escalations/link.server';
import { usePolling } from '~/editor/conversations/usePolling';
import { ErrorBanner } from '~/editor/ui/bits';

export const meta: MetaFunction = () => [{ title: 'Escalation · Switchyard' }];

/** How often an open escalation is read again (another person may decide it meanwhile). */
const REFRESH_MS = 4000;

/** Whether the page was opened from a notification's signed link (the session check ran in the layout). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  return json({ link: linkState(context.runtime, params.id ?? '', new URL(request.url)) });
}

const clock = (iso: string) => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

/**
 * One escalation: why it was raised, the conversation it came from, the drafted reply, and either
 * the decision form or the decision taken (with the person's text next to the draft). All of it is
 * shown as text.
 */
export default function EscalationView() {
  const { id = '' } = useParams();
  const { link } = useLoaderData<typeof loader>();
  const { refreshList } = useEscalations();
  const { data: e, error, reload } = usePolling(id, (signal) => api<EscalationDetail>(`/escalations/${encodeURIComponent(id)}`, { signal }), REFRESH_MS);

  if (!e) return <section className="card pad thread-pane">{error ? <ErrorBanner message={error} /> : <p className="muted">Loading…</p>}</section>;
  const status = statusLabel(e);
  return (
    <section className="card escalation-pane" aria-label={`Escalation: ${e.title}`}>
      <header className="thread-head">
        <div className="grow">
          <h2>{e.title}</h2>
          <div className="muted thread-sub">
            {e.flowName ? <Link to={`/flows/${e.flowId}`}>{e.flowName}</Link> : 'Deleted flow'}
            {' · '}<Link to={`/executions/${e.executionId}`}>Execution</Link>
            {' · '}asked {clock(e.createdAt)}{e.status === 'open' && <> · deadline {clock(e.deadline)}</>}
          </div>
        </div>
        <span className={`badge ${status.tone}`} data-status={e.status}>{status.label}</span>
      </header>
      {link === 'forged' && <div role="alert" className="banner error">This link was not issued by Switchyard (its signature does not match); what is shown comes from the inbox itself.</div>}
      {link === 'signed' && <p className="muted escalation-note">Opened from the link you were sent.</p>}
      <ErrorBanner message={error} />
      <div className="escalation-body">
        {e.reasons.length > 0 && (
          <section aria-label="Reasons">
            <h3>Why a person is asked</h3>
            <ul>{e.reasons.map((r, i) => <li key={i}>{r}</li>)}</ul>
          </section>
        )}
        {e.conversation ? (
          <section aria-label="Conversation">
            <h3>Conversation with {e.conversation.contactName ?? e.conversation.contactId}</h3>
            <ol className="messages escalation-messages" aria-label="Messages">
              {e.conversation.messages.map((m) => (
                <li key={m.id} className={`msg ${m.direction}`} data-direction={m.direction}>
                  <div className="msg-bubble"><p className="msg-text">{m.text ?? `[${m.messageType}]`}</p></div>
                  <div className="msg-meta"><time dateTime={m.createdAt}>{clock(m.createdAt)}</time></div>
                </li>
              ))}
            </ol>
          </section>
        ) : e.message && (
          <section aria-label="Message">
            <h3>Message</h3>
            <p className="msg-text">{e.message}</p>
          </section>
        )}
        <section aria-label="Draft">
          <h3>Drafted reply</h3>
          {e.draft ? <p className="msg-text escalation-draft">{e.draft}</p> : <p className="muted">No draft: the person who decides writes the reply.</p>}
        </section>
        {e.status === 'open' ? (
          <DecisionForm escalation={e} onDecided={() => void Promise.all([reload(), refreshList()])} />
        ) : (
          <section aria-label="Decision">
            <h3>Decision</h3>
            <p>{status.label} by <strong>{e.decidedBy}</strong>{e.decidedAt && <> on {clock(e.decidedAt)}</>}.</p>
            {e.finalText !== null && (
              <>
                <div className="field-label">{e.edited ? 'Sent instead of the draft' : 'Sent'}</div>
                <p className="msg-text escalation-final">{e.finalText}</p>
              </>
            )}
          </section>
        )}
        {e.notifications.length > 0 && (
          <section aria-label="Notifications">
            <h3>Told</h3>
            <ul>
              {e.notifications.map((n, i) => (
                <li key={i}>{n.address} by {n.channel}: {n.ok ? 'sent' : <span className="msg-error">not sent ({n.error})</span>}</li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </section>
  );
}
