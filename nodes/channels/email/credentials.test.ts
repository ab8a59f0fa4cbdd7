import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../runtime/net/client.js';
import { imapCredential, smtpCredential } from './credentials.js';
import { startImapFake, type ImapFake } from './fake-imap.js';
import { startSmtpFake, type SmtpFake } from './fake-smtp.js';

let smtp: SmtpFake;
let imap: ImapFake;
const http = createHttpClient({ allow: ['127.0.0.1'] });
const guarded = createHttpClient();
const signal = new AbortController().signal;
beforeAll(async () => { smtp = await startSmtpFake(); imap = await startImapFake(); });
afterAll(async () => { http.close(); guarded.close(); await smtp.close(); await imap.close(); });

describe('smtp credential kind', () => {
  const fields = () => ({ host: '127.0.0.1', port: String(smtp.port), security: 'none', user: smtp.user, password: smtp.password, from: 'Shop <shop@example.com>' });

  it('"Test connection" connects and signs in (transporter.verify), checking the host with the outbound guard first', async () => {
    expect(await smtpCredential.test!(fields(), { http, signal })).toEqual({ ok: true, message: `Connected to 127.0.0.1:${smtp.port} and signed in.` });
    const wrong = await smtpCredential.test!({ ...fields(), password: 'not-it-42' }, { http, signal });
    expect(wrong).toEqual({ ok: false, message: expect.stringMatching(/^SMTP: the server refused the user name or password/) });
    expect(wrong.message).not.toContain('not-it-42');
    const connections = smtp.connections;
    const refused = await smtpCredential.test!(fields(), { http: guarded, signal });
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/127\.0\.0\.1.*loopback/);
    expect(smtp.connections).toBe(connections);
  });

  it('validates the server, port, security and sender, and stores the port as the number typed', () => {
    const parsed = smtpCredential.schema.safeParse({ host: 'smtp://x.com', port: 70000, security: 'ssl', from: 'not an address' });
    expect(parsed.error?.issues.map((i) => i.path[0]).sort()).toEqual(['from', 'host', 'port', 'security']);
    expect(smtpCredential.schema.parse({ host: 'smtp.example.com', port: '465', from: 'a@example.com' })).toMatchObject({ port: 465, security: 'starttls' });
  });
});

describe('imap credential kind', () => {
  const fields = () => ({ host: '127.0.0.1', port: String(imap.port), security: 'none', user: imap.user, password: imap.password, mailbox: 'INBOX' });

  it('"Test connection" signs in and reads the folder; a wrong password or a refused host is a failed test without secrets', async () => {
    imap.deliver('From: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n');
    expect(await imapCredential.test!(fields(), { http, signal })).toEqual({ ok: true, message: 'Connected to 127.0.0.1: INBOX holds 1 messages.' });
    const wrong = await imapCredential.test!({ ...fields(), password: 'nope-nope' }, { http, signal });
    expect(wrong.ok).toBe(false);
    expect(wrong.message).not.toContain('nope-nope');
    const missing = await imapCredential.test!({ ...fields(), mailbox: 'Archive' }, { http, signal });
    expect(missing.ok).toBe(false);
    const commands = imap.commands.length;
    expect((await imapCredential.test!(fields(), { http: guarded, signal })).ok).toBe(false);
    expect(imap.commands.length).toBe(commands);
  });
});
