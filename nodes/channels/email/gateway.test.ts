import MailComposer from 'nodemailer/lib/mail-composer';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { createRuntime } from '../../../runtime/index.js';
import { until } from '../../../runtime/testing/channel-harness.js';
import { testConfig } from '../../../runtime/testing/config.js';
import { flow, WS } from '../../../runtime/testing/harness.js';
import type { Runtime } from '../../../runtime/types.js';
import { startImapFake, type ImapFake } from './fake-imap.js';
import { startSmtpFake, type SmtpFake } from './fake-smtp.js';

let runtime: Runtime;
let imap: ImapFake;
let smtp: SmtpFake;

beforeAll(async () => {
  [imap, smtp] = await Promise.all([startImapFake(), startSmtpFake()]);
  runtime = await createRuntime(testConfig({ outboundAllow: ['127.0.0.1'], publicUrl: 'https://switchyard.example' }));
  await runtime.startWorker();
});
afterAll(async () => {
  await runtime.close();
  await Promise.all([imap.close(), smtp.close()]);
});

function mail(from: string, subject: string): Promise<Buffer> {
  return new MailComposer({ from, to: imap.user, subject, text: `About: ${subject}` }).compile().build();
}

it('polls the folder through the gateway: each new mail starts one execution whose reply is sent once, and the cursor survives between polls', async () => {
  const mailbox = await runtime.credentials.create(WS, { name: 'Support inbox', kind: 'imap', data: { host: '127.0.0.1', port: imap.port, security: 'none', user: imap.user, password: imap.password } });
  const sender = await runtime.credentials.create(WS, { name: 'Support SMTP', kind: 'smtp', data: { host: '127.0.0.1', port: smtp.port, security: 'none', user: smtp.user, password: smtp.password, from: 'Support <support@example.com>' } });
  imap.deliver(await mail('Ada <ada@example.com>', 'Where is my order?'));
  const document = flow('Auto-reply', [
    { id: 'mail', type: 'email.imap-trigger', props: { startWith: 'unseen', markSeen: true, intervalSeconds: 15 }, credentials: { mailbox: 'inbox' } },
    { id: 'reply', type: 'email.send', props: { to: '{{ $trigger.from.address }}', subject: 'Re: {{ $trigger.subject }}', text: 'We got your mail.' }, credentials: { smtp: 'smtp' } },
  ], ['mail->reply'], { credentials: { inbox: { kind: 'imap', id: mailbox.id }, smtp: { kind: 'smtp', id: sender.id } } });
  const flowId = (await runtime.flows.create(WS, document)).id;
  await runtime.flows.activate(WS, flowId);

  // A timeout says where it stopped: the poller's state and the executions.
  const explain = async (error: unknown) => {
    const state = { cursors: await runtime.knex('trigger_cursors'), executions: await runtime.knex('executions').where({ flow_id: flowId }).select('status', 'error'), imapCommands: imap.commands.slice(-10) };
    throw new Error(`${error instanceof Error ? error.message : String(error)}: ${JSON.stringify(state)}`);
  };
  await until(async () => smtp.messages.length >= 1, 60_000, 'the first reply').catch(explain);
  const first = await simpleParser(smtp.messages[0]!.raw);
  expect([smtp.messages[0]!.to, first.subject]).toEqual([['ada@example.com'], 'Re: Where is my order?']);
  expect(imap.mailbox().messages[0]!.flags.has('\\Seen')).toBe(true);

  imap.deliver(await mail('bob@example.com', 'Invoice'));
  await until(async () => smtp.messages.length >= 2, 60_000, 'the reply to the second mail').catch(explain);
  // Another poll or two find nothing new: still one execution and one reply per mail.
  const polls = imap.commands.filter((c) => / SELECT /.test(c)).length;
  await until(async () => imap.commands.filter((c) => / SELECT /.test(c)).length >= polls + 1, 60_000, 'another poll').catch(explain);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(smtp.messages.map((m) => m.to[0])).toEqual(['ada@example.com', 'bob@example.com']);
  expect(await runtime.knex('executions').where({ flow_id: flowId })).toHaveLength(2);
  const cursor = await runtime.knex('trigger_cursors').where({ flow_id: flowId }).first();
  expect(cursor).toMatchObject({ cursor: { mailbox: 'INBOX', uidValidity: imap.mailbox().uidValidity, lastUid: 2 }, failing: false });
}, 180_000);

it('replies from the inbox to a mail thread once the IMAP account names an SMTP server for replies, as a reply to the latest mail (decision 047)', async () => {
  const mailbox = await runtime.credentials.create(WS, { name: 'Refunds inbox', kind: 'imap', data: { host: '127.0.0.1', port: imap.port, security: 'none', user: imap.user, password: imap.password } });
  const original = await new MailComposer({ from: 'Carol <carol@example.com>', to: imap.user, subject: 'Refund for order 7', text: 'Please refund it.', messageId: '<refund-7@example.com>' }).compile().build();
  imap.deliver(original);
  const document = flow('Refund mails', [
    { id: 'mail', type: 'email.imap-trigger', props: { startWith: 'unseen', markSeen: true, intervalSeconds: 15 }, credentials: { mailbox: 'inbox' } },
    { id: 'note', type: 'core.set', props: { fields: [{ name: 'subject', value: '{{ $trigger.subject }}' }] } },
  ], ['mail->note'], { credentials: { inbox: { kind: 'imap', id: mailbox.id } } });
  const flowId = (await runtime.flows.create(WS, document)).id;
  await runtime.flows.activate(WS, flowId);
  const thread = await until<{ id: string }>(async () => runtime.knex('contacts').where({ credential_id: mailbox.id, provider_contact_id: 'carol@example.com' }).first('id'), 60_000, 'the mail in the inbox');
  // The mailbox's provider takes the same login over SMTP, as Gmail, Microsoft 365 and Fastmail do.
  const relay = await startSmtpFake({ user: imap.user, password: imap.password });
  onTestFinished(() => relay.close());

  // No SMTP server for replies yet: a 400 that says what to set, and nothing sent or recorded.
  const refused = await runtime.conversations.reply(WS, thread.id, 'We refunded it.').then(() => undefined, (e: unknown) => e);
  expect(refused).toMatchObject({ status: 400, code: 'not_supported', message: expect.stringContaining('SMTP server for replies') });
  expect(relay.messages).toEqual([]);

  await runtime.credentials.update(WS, mailbox.id, { data: { smtpHost: '127.0.0.1', smtpPort: String(relay.port), smtpSecurity: 'none', replyFrom: 'Refunds <refunds@example.com>' } });
  const reply = await runtime.conversations.reply(WS, thread.id, 'We refunded it.');
  expect(reply).toMatchObject({ direction: 'out', text: 'We refunded it.' });
  expect(relay.messages).toHaveLength(1);
  const sent = await simpleParser(relay.messages[0]!.raw);
  expect({ to: relay.messages[0]!.to, subject: sent.subject, inReplyTo: sent.inReplyTo, references: sent.references, from: sent.from?.text, text: sent.text?.trim() }).toEqual({
    to: ['carol@example.com'], subject: 'Re: Refund for order 7', inReplyTo: '<refund-7@example.com>', references: '<refund-7@example.com>',
    from: '"Refunds" <refunds@example.com>', text: 'We refunded it.',
  });
  const messages = (await runtime.conversations.get(WS, thread.id)).messages;
  expect(messages.map((m) => [m.direction, m.text])).toEqual([['in', expect.any(String)], ['out', 'We refunded it.']]);
  await runtime.flows.deactivate(WS, flowId);
}, 180_000);
