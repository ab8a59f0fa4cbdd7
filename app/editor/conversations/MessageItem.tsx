import { Link } from '@remix-run/react';
import type { ConversationMessageRecord } from '../../../runtime/services/types.js';
import { EmailBody } from './EmailBody';
import { choicesOf, deliveryStatus, emailOf, errorOf, mediaOf } from './message-parts';

const clock = (iso: string) => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

/**
 * One message of a thread: the contact's on the left, the account's on the right, with its text,
 * attachments (by reference), buttons offered or chosen, and for outbound messages the delivery
 * status and who sent it: the execution (linked) or a person from the inbox.
 */
export function MessageItem({ message }: { message: ConversationMessageRecord }) {
  const media = mediaOf(message);
  const choices = choicesOf(message);
  const outbound = message.direction === 'out';
  const status = deliveryStatus(message.status);
  const error = errorOf(message);
  const email = emailOf(message);
  return (
    <li className={`msg ${outbound ? 'out' : 'in'}`} data-message-id={message.id} data-direction={message.direction}>
      <div className="msg-bubble">
        {email ? <EmailBody email={email} textClassName="msg-text" /> : message.text ? <p className="msg-text">{message.text}</p> : media.length === 0 && choices.length === 0 && (
          <p className="msg-text muted">[{message.messageType}]</p>
        )}
        {media.length > 0 && (
          <ul className="msg-media" aria-label="Attachments">
            {media.map((m, i) => (
              <li key={i}>
                <span className="badge">{m.kind}</span>{' '}
                {m.url ? <a href={m.url} target="_blank" rel="noreferrer noopener">{m.fileName ?? m.url}</a> : <span className="muted">{m.fileName ?? m.mimeType ?? 'by reference'}</span>}
                {m.caption && <span> — {m.caption}</span>}
              </li>
            ))}
          </ul>
        )}
        {choices.length > 0 && (
          <div className="msg-choices">
            <span className="muted">{outbound ? 'Buttons:' : 'Chose:'}</span>
            <ul aria-label={outbound ? 'Buttons offered' : 'Choice'}>
              {choices.map((c) => <li key={c.id} className="msg-choice" title={c.id}>{c.title}</li>)}
            </ul>
          </div>
        )}
      </div>
      <div className="msg-meta">
        <time dateTime={message.createdAt}>{clock(message.createdAt)}</time>
        {outbound && (
          <>
            <span className={`badge ${status.tone}`} data-status={message.status} title={message.statusAt ?? undefined}>{status.label}</span>
            {message.executionId
              ? <Link to={`/executions/${message.executionId}`}>Sent by execution{message.stepKey ? ` (${message.stepKey})` : ''}</Link>
              : <span className="muted">Sent from the inbox</span>}
          </>
        )}
      </div>
      {error && <div className="msg-error" role="note">Not delivered: {error}</div>}
    </li>
  );
}
