import { describe, expect, it } from 'vitest';
import { imapCredential } from './credentials.js';
import { replySubject } from './inbox-reply.js';

describe('an inbox reply by email', () => {
  it('answers "Re: " + the subject once, however long the thread', () => {
    expect(replySubject('Refund for order 7')).toBe('Re: Refund for order 7');
    expect(replySubject('RE: Refund for order 7')).toBe('RE: Refund for order 7');
    expect(replySubject('  ')).toBe('Re: your message');
    expect(replySubject(undefined)).toBe('Re: your message');
  });

  it('takes the reply settings as optional IMAP credential fields, checked like the SMTP kind\'s', () => {
    const base = { host: 'imap.example.com', user: 'help@example.com', password: 'app-password' };
    expect(imapCredential.schema.parse(base)).toMatchObject({ port: 993, smtpPort: 587, smtpSecurity: 'starttls' });
    expect(imapCredential.schema.parse(base).smtpHost).toBeUndefined();
    const bad = imapCredential.schema.safeParse({ ...base, smtpHost: 'smtp://x.com', smtpPort: 0, replyFrom: 'two@example.com, addresses@example.com' });
    expect(bad.error?.issues.map((i) => i.path[0]).sort()).toEqual(['replyFrom', 'smtpHost', 'smtpPort']);
  });
});
