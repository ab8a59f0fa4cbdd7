import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NodeError, NonRetryableError, type ChannelCapabilities, type CredentialValue, type OutboundMessageRecord } from '@switchyard/sdk';
import { createHttpClient } from '../../../../runtime/net/client.js';
import { OutboundBlockedError } from '../../../../runtime/net/errors.js';
import { createTestContext, runNode } from '../../../testing.js';
import { startSmtpFake, type SmtpFake } from '../fake-smtp.js';
import sendEmail from './index.js';

type Slots = NonNullable<typeof sendEmail.credentials>;
const PDF = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1');

let smtp: SmtpFake;
let files: http.Server;
let filesUrl: string;
const allowLocal = createHttpClient({ allow: ['127.0.0.1'] });
const guarded = createHttpClient();
const outbound: OutboundMessageRecord[] = [];

beforeAll(async () => {
  smtp = await startSmtpFake();
  files = http.createServer((req, res) => {
    if (req.url === '/invoice.pdf') { res.setHeader('content-type', 'application/pdf'); return void res.end(PDF); }
    res.statusCode = 404;
    res.end('missing');
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
afterAll(async () => {
  allowLocal.close();
  guarded.close();
  await smtp.close();
  await new Promise((resolve) => files.close(resolve));
});
beforeEach(() => {
  smtp.messages.length = 0;
  outbound.length = 0;
});

function account(fields: Record<string, string> = {}): CredentialValue {
  return { id: 'cred-smtp', kind: 'smtp', fields: { host: '127.0.0.1', port: String(smtp.port), security: 'none', user: smtp.user, password: smtp.password, from: 'Shop <shop@example.com>', ...fields } };
}

const channels: ChannelCapabilities = {
  async recordOutbound(message) { outbound.push(message); },
  async acquire() {},
  async markBlocked() {},
  async history() { return []; },
  async isPaused() { return false; },
  waitForReply() { throw new Error('not used'); },
};

function send(props: Parameters<typeof runNode<typeof sendEmail.props, Slots>>[2], options: { account?: CredentialValue; http?: typeof allowLocal; idempotencyKey?: string } = {}) {
  const ctx = { ...createTestContext<Slots>({ http: options.http ?? allowLocal, credentials: { smtp: options.account ?? account() }, idempotencyKey: options.idempotencyKey ?? 'exec-1:mail' }), channels };
  return runNode(sendEmail, {}, props, ctx);
}

async function failure(promise: Promise<unknown>): Promise<NodeError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  return error as NodeError;
}

describe('email.send through nodemailer to a local smtp-server', () => {
  it('delivers text and HTML with cc, bcc, reply-to and attachments by URL and from base64', async () => {
    const result = await send({
      to: 'Ada <ada@example.com>, bob@example.com', cc: 'carol@example.com', bcc: 'audit@example.com', replyTo: 'help@example.com',
      subject: 'Your invoice — №42', text: 'Hello Ada,\nyour invoice is attached.', html: '<p>Hello <b>Ada</b></p>',
      attachments: [{ filename: 'invoice.pdf', url: `${filesUrl}/invoice.pdf` }, { filename: 'note.txt', content: Buffer.from('héllo').toString('base64'), contentType: 'text/plain' }],
    });
    expect(smtp.messages).toHaveLength(1);
    const received = smtp.messages[0]!;
    expect(received.from).toBe('shop@example.com');
    expect(received.to.sort()).toEqual(['ada@example.com', 'audit@example.com', 'bob@example.com', 'carol@example.com']);
    expect(received.user).toBe(smtp.user);
    const mail = await simpleParser(received.raw);
    expect(mail.subject).toBe('Your invoice — №42');
    expect(mail.text?.trim()).toBe('Hello Ada,\nyour invoice is attached.');
    expect(mail.html).toContain('<p>Hello <b>Ada</b></p>');
    expect(mail.headers.get('bcc')).toBeUndefined();
    expect(mail.replyTo?.text).toBe('help@example.com');
    expect(mail.attachments.map((a) => [a.filename, a.contentType, a.content.toString('base64')])).toEqual([
      ['invoice.pdf', 'application/pdf', PDF.toString('base64')],
      ['note.txt', 'text/plain', Buffer.from('héllo').toString('base64')],
    ]);
    expect(result).toMatchObject({ main: { messageId: mail.messageId, accepted: expect.arrayContaining(['ada@example.com', 'audit@example.com']), rejected: [], to: ['ada@example.com', 'bob@example.com'] } });
    expect(outbound).toEqual([expect.objectContaining({ credentialId: 'cred-smtp', contactId: 'ada@example.com', providerMessageId: mail.messageId, messageType: 'email', text: 'Your invoice — №42\n\nHello Ada,\nyour invoice is attached.' })]);
  });

  it('derives the Message-ID from the idempotency key, so a repeated send of the same step is recognisable', async () => {
    await send({ to: 'ada@example.com', subject: 'one' }, { idempotencyKey: 'exec-9:mail' });
    await send({ to: 'ada@example.com', subject: 'again' }, { idempotencyKey: 'exec-9:mail' });
    await send({ to: 'ada@example.com', subject: 'other step' }, { idempotencyKey: 'exec-9:other' });
    const ids = await Promise.all(smtp.messages.map(async (m) => (await simpleParser(m.raw)).messageId));
    expect(ids[0]).toMatch(/^<[0-9a-f]{32}@example\.com>$/);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('refuses malformed addresses, empty emails and bad attachments naming the field, sending nothing', async () => {
    expect((await failure(send({ to: 'ada@', subject: 'x' }))).message).toBe('to: "ada@" is not an email address');
    expect((await failure(send({ to: 'ada@example.com', cc: 'bob', subject: 'x' }))).message).toMatch(/^cc: "bob" is not an email address/);
    expect((await failure(send({ to: 'ada@example.com', from: 'a@x.com, b@x.com', subject: 'x' }))).message).toMatch(/^from: give exactly one sender/);
    expect((await failure(send({ to: 'ada@example.com' }))).message).toMatch(/^subject: the email has no subject, body or attachment/);
    expect((await failure(send({ to: 'ada@example.com', subject: 'x', attachments: [{ filename: 'a.bin', content: 'not base64!' }] }))).message).toMatch(/^attachments\[0\]\.content: not base64/);
    const missing = await failure(send({ to: 'ada@example.com', subject: 'x', attachments: [{ filename: 'a.pdf', url: `${filesUrl}/nope.pdf` }] }));
    expect(missing).toBeInstanceOf(NonRetryableError);
    expect(missing.message).toMatch(/^attachments\[0\]\.url: 127\.0\.0\.1:\d+ answered HTTP 404/);
    expect(sendEmail.props.safeParse({ to: 'a@b.co', attachments: [{ filename: 'x', url: 'https://a', content: 'AAAA' }] }).error?.issues[0]?.path).toEqual(['attachments', 0, 'url']);
    expect(smtp.messages).toHaveLength(0);
  });

  it('does not retry a wrong password or a refused recipient, and never shows the password', async () => {
    const auth = await failure(send({ to: 'ada@example.com', subject: 'x' }, { account: account({ password: 'wrong-password-123' }) }));
    expect(auth).toBeInstanceOf(NonRetryableError);
    expect(auth.code).toBe('mail_auth_failed');
    expect(auth.message).not.toContain('wrong-password-123');
    const refused = await failure(send({ to: 'reject-me@example.com', subject: 'x' }));
    expect(refused).toBeInstanceOf(NonRetryableError);
    expect(refused.message).toMatch(/^SMTP error 550: .*User unknown/);
    // One refused recipient among good ones: sent, and the refusal reported.
    const partial = await send({ to: 'ada@example.com, reject-me@example.com', subject: 'x' });
    expect(partial).toMatchObject({ main: { accepted: ['ada@example.com'], rejected: ['reject-me@example.com'] } });
    expect(smtp.messages).toHaveLength(1);
  });

  it('checks the SMTP host and attachment URLs with the outbound guard before connecting', async () => {
    const before = smtp.connections;
    expect(await failure(send({ to: 'ada@example.com', subject: 'x' }, { http: guarded }))).toBeInstanceOf(OutboundBlockedError);
    expect(smtp.connections).toBe(before);
    const localFile = await failure(send({ to: 'ada@example.com', subject: 'x', attachments: [{ filename: 'x', url: 'http://169.254.169.254/latest' }] }));
    expect(localFile).toBeInstanceOf(OutboundBlockedError);
    expect(smtp.messages).toHaveLength(0);
  });

  it('records mail to a recipient the chat simulator plays on its mailbox instead of sending it; the rest is sent with that address out of the envelope', async () => {
    const sim = 'sim-abc123@simulator.invalid';
    const simulating: ChannelCapabilities = { ...channels, async simulatedAccounts(ids) { return new Map(ids.filter((id) => id === sim).map((id) => [id, 'cred-imap'])); } };
    const ctx = (key: string) => ({ ...createTestContext<Slots>({ http: allowLocal, credentials: { smtp: account() }, idempotencyKey: key }), channels: simulating });
    const before = smtp.connections;
    const alone = await runNode(sendEmail, {}, { to: `Simulator <${sim.toUpperCase()}>`, subject: 'Re: hi', text: 'Thanks', html: '<b>Thanks</b>' }, ctx('exec-s:mail'));
    expect(smtp.connections).toBe(before);
    expect(alone).toMatchObject({ main: { accepted: [sim], rejected: [], simulated: [sim] } });
    expect(outbound).toEqual([expect.objectContaining({
      credentialId: 'cred-imap', contactId: sim, providerMessageId: expect.stringMatching(/^sim-[0-9a-f]{32}$/), messageType: 'email',
      text: 'Re: hi\n\nThanks', email: { subject: 'Re: hi', text: 'Thanks', html: '<b>Thanks</b>' },
    })]);

    outbound.length = 0;
    await runNode(sendEmail, {}, { to: sim, cc: 'carol@example.com', subject: 'Re: hi', text: 'Thanks' }, ctx('exec-t:mail'));
    expect(smtp.messages.map((m) => m.to)).toEqual([['carol@example.com']]);
    expect((await simpleParser(smtp.messages[0]!.raw)).headers.get('to')).toMatchObject({ text: sim });
    expect(outbound.map((o) => [o.credentialId, o.contactId])).toEqual([['cred-smtp', 'carol@example.com'], ['cred-imap', sim]]);
  });
});
