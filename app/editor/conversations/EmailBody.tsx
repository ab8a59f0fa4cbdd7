import { emailDocument, type EmailView } from './message-parts';

/**
 * An email in a thread (decision 042): its subject, then its HTML body in a frame sandboxed with no
 * permissions at all (no scripts, no same origin, no forms, popups or navigation of the page) under
 * a policy that loads nothing remote — the editor never puts a mail's HTML into its own DOM — with
 * the text body under it; or the text body alone.
 */
export function EmailBody({ email, textClassName }: { email: EmailView; textClassName: string }) {
  return (
    <div className="email-body">
      <p className="email-subject"><span className="muted">Subject </span><strong>{email.subject || '(no subject)'}</strong></p>
      {email.html ? (
        <>
          <iframe className="email-html" sandbox="" referrerPolicy="no-referrer" srcDoc={emailDocument(email.html)} title={`HTML body of “${email.subject || 'no subject'}”`} />
          {email.text.trim() !== '' && (
            <details className="email-plain">
              <summary>Text version</summary>
              <p className={textClassName}>{email.text}</p>
            </details>
          )}
        </>
      ) : (
        <p className={textClassName}>{email.text}</p>
      )}
    </div>
  );
}
