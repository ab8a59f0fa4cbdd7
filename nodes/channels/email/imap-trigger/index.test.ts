import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NonRetryableError, type InboundEvent, type Json, type TriggerLifecycleContext } from '@switchyard/sdk';
import { createHttpClient } from '../../../../runtime/net/client.js';
import { OutboundBlockedError } from '../../../../runtime/net/errors.js';
import { startImapFake, type ImapFake } from '../fake-imap.js';
import imapTrigger from './index.js';

let imap: ImapFake;
const http = createHttpClient({ allow: ['127.0.0.1'] });
const guarded = createHttpClient();
beforeAll(async () => { imap = await startImapFake({ password: 'pä"ss \\ word' }); });
afterAll(async () => { http.close(); guarded.close(); await imap.close(); });

const channel = imapTrigger.trigger!.channel!;

function ctx(fields: Record<string, string> = {}, client = http): TriggerLifecycleContext {
  return {
    account: { credentialId: 'cred-imap', secret: 'unused', callbackUrl: 'unused', fields: { host: '127.0.0.1', port: String(imap.port), security: 'none', user: imap.user, password: imap.password, mailbox: 'INBOX', ...fields } },
    http: client, signal: new AbortController().signal,
    log: { debug() {}, info() {}, warn() {}, error() {} },
  };
}

/** Polls as the gateway does: the cursor goes through JSON (it is stored in Postgres between polls). */
async function poll(cursor: Json | null, props: Record<string, unknown> = {}, context = ctx()): Promise<{ events: InboundEvent[]; cursor: Json }> {
  const result = await channel.poll!.run(context, imapTrigger.props.parse(props), cursor);
  return { events: result.events, cursor: JSON.parse(JSON.stringify(result.cursor)) as Json };
}

async function mail(options: { from: string; subject: string; text?: string; html?: string; attachments?: { filename: string; content: Buffer; contentType: string }[] }): Promise<Buffer> {
  return new MailComposer({ to: 'inbox@example.com', messageId: `<${Math.random().toString(36).slice(2)}@example.com>`, date: new Date('2025-03-01T10:00:00Z'), ...options }).compile().build();
}

describe('email.imap-trigger polling a local IMAP server through imapflow', () => {
  it('passes each new mail on exactly once across polls, parsed, with a durable cursor', async () => {
    imap.deliver(await mail({ from: 'old@example.com', subject: 'before activation' }));
    const first = await poll(null);
    expect(first.events).toEqual([]);
    const validity = imap.mailbox().uidValidity;
    expect(first.cursor).toEqual({ mailbox: 'INBOX', uidValidity: validity, lastUid: 1 });

    imap.deliver(await mail({
      from: 'Ada Lovelace <Ada@Example.com>', subject: 'Order #42 🚀', text: 'Where is my order?', html: '<p>Where is <i>my</i> order?</p>',
      attachments: [{ filename: 'photo.png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]), contentType: 'image/png' }],
    }));
    imap.deliver(await mail({ from: 'bob@example.com', subject: 'Second' , text: 'two' }));
    const second = await poll(first.cursor);
    expect(second.events.map((e) => e.id)).toEqual([`INBOX:${validity}:2`, `INBOX:${validity}:3`]);
    const [ada] = second.events;
    expect(ada).toMatchObject({
      type: 'message', contact: { id: 'ada@example.com', name: 'Ada Lovelace' },
      message: { messageType: 'email', text: 'Order #42 🚀\n\nWhere is my order?', media: [{ kind: 'document', fileName: 'photo.png', mimeType: 'image/png' }] },
      data: {
        mailbox: 'INBOX', uid: 2, uidValidity: validity, subject: 'Order #42 🚀', from: { name: 'Ada Lovelace', address: 'ada@example.com' },
        to: [{ address: 'inbox@example.com' }], text: 'Where is my order?', html: '<p>Where is <i>my</i> order?</p>', date: '2025-03-01T10:00:00.000Z',
        attachments: [{ filename: 'photo.png', contentType: 'image/png', size: 7, contentBase64: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]).toString('base64'), skipped: null }],
      },
    });
    expect(ada?.message?.providerMessageId).toMatch(/^<.+@example\.com>$/);
    expect(second.cursor).toEqual({ mailbox: 'INBOX', uidValidity: validity, lastUid: 3 });

    const third = await poll(second.cursor);
    expect(third.events).toEqual([]);
    expect(third.cursor).toEqual(second.cursor);
    // Read-only: the folder was EXAMINEd and nothing was flagged.
    expect(imap.commands.some((c) => /EXAMINE INBOX/.test(c))).toBe(true);
    expect(imap.commands.some((c) => /STORE/.test(c))).toBe(false);
    expect(imap.mailbox().messages.every((m) => !m.flags.has('\\Seen'))).toBe(true);
  });

  it('marks mail as seen when asked, and can start with the unread mail already there', async () => {
    imap.deliver(await mail({ from: 'seen@example.com', subject: 'already read' }), { flags: ['\\Seen'] });
    const unreadUid = imap.deliver(await mail({ from: 'unread@example.com', subject: 'not yet read' }));
    const { events, cursor } = await poll(null, { startWith: 'unseen', markSeen: true });
    expect(events.map((e) => e.contact?.id)).toEqual(['old@example.com', 'ada@example.com', 'bob@example.com', 'unread@example.com']);
    expect(cursor).toMatchObject({ lastUid: unreadUid });
    expect(imap.mailbox().messages.every((m) => m.flags.has('\\Seen'))).toBe(true);
  });

  it('takes at most maxPerPoll mails per poll, the rest on the next', async () => {
    const start = (await poll(null)).cursor;
    for (const n of [1, 2, 3]) imap.deliver(await mail({ from: `n${n}@example.com`, subject: `n${n}` }));
    const a = await poll(start, { maxPerPoll: 2 });
    const b = await poll(a.cursor, { maxPerPoll: 2 });
    expect([...a.events, ...b.events].map((e) => e.contact?.id)).toEqual(['n1@example.com', 'n2@example.com', 'n3@example.com']);
    expect((await poll(b.cursor)).events).toEqual([]);
  });

  it('lists an attachment over the limit without its content, and reads an oversized mail from its envelope only', async () => {
    const start = (await poll(null)).cursor;
    imap.deliver(await mail({ from: 'big@example.com', subject: 'big attachment', text: 'see attached', attachments: [{ filename: 'big.bin', content: Buffer.alloc(40_000, 7), contentType: 'application/octet-stream' }] }));
    const { events, cursor } = await poll(start, { maxAttachmentBytes: 10_000 });
    expect(events[0]?.data).toMatchObject({ attachments: [{ filename: 'big.bin', size: 40_000, contentBase64: null, skipped: 'over the 10000-byte attachment limit' }] });
    imap.deliver(await mail({ from: 'Huge <huge@example.com>', subject: 'huge', text: 'x'.repeat(30_000) }));
    const huge = await poll(cursor, { maxMessageBytes: 20_000 });
    expect(huge.events[0]).toMatchObject({ contact: { id: 'huge@example.com' }, message: { text: 'huge' }, data: { subject: 'huge', text: null, truncated: expect.stringMatching(/over the 20000-byte limit/) } });
  });

  it('starts over when the server renumbers the folder (UIDVALIDITY changed)', async () => {
    const before = (await poll(null)).cursor;
    imap.recreate();
    imap.deliver(await mail({ from: 'after@example.com', subject: 'after rebuild' }));
    const { events, cursor } = await poll(before);
    expect(events).toEqual([]);
    expect(cursor).toEqual({ mailbox: 'INBOX', uidValidity: imap.mailbox().uidValidity, lastUid: 1 });
  });

  it('throws when a poll cannot run (wrong password, missing folder, refused host), so the gateway can mark it failing', async () => {
    const wrong = await poll(null, {}, ctx({ password: 'wrong' })).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(NonRetryableError);
    expect((wrong as Error).message).toMatch(/^IMAP: the server refused the user name or password/);
    expect((wrong as Error).message).not.toContain(imap.password);
    await expect(poll(null, { mailbox: 'Nope' })).rejects.toThrow(/IMAP/);
    const commands = imap.commands.length;
    await expect(poll(null, {}, ctx({}, guarded))).rejects.toBeInstanceOf(OutboundBlockedError);
    expect(imap.commands.length).toBe(commands);
  });

  it('filters on the subject and text, polls on the chosen interval and validates its props', () => {
    const props = imapTrigger.props.parse({ textFilter: 'contains', pattern: 'invoice' });
    const event = (text: string): InboundEvent => ({ id: 'x', type: 'message', message: { providerMessageId: 'x', messageType: 'email', text }, data: {} });
    expect(channel.matches(event('Your Invoice\n\nhi'), props)).toBe(true);
    expect(channel.matches(event('Hello\n\nhi'), props)).toBe(false);
    expect(channel.poll!.intervalMs(imapTrigger.props.parse({ intervalSeconds: 120 }))).toBe(120_000);
    expect(imapTrigger.props.safeParse({ intervalSeconds: 5 }).success).toBe(false);
  });

  it('plays a sender in the chat simulator without connecting: the typed mail read by the trigger\'s own parser, one id per message', async () => {
    const simulator = channel.poll!.simulator!;
    const before = imap.commands.length;
    const contact = { id: simulator.contactId(2 ** 52 + 7), name: 'Simulator' };
    expect(contact.id).toMatch(/^sim-[0-9a-z]+@simulator\.invalid$/);
    const props = imapTrigger.props.parse({ textFilter: 'contains', pattern: 'ORDER #42' });
    const message = { contact, id: 'session:m1', serial: 2 ** 52 + 11, subject: 'Where is my order? ☕', text: 'Order #42', at: Date.UTC(2026, 0, 2) };
    const event = await simulator.event(ctx().account, props, message);
    expect(event).toMatchObject({
      id: `INBOX:0:${2 ** 52 + 11}`, type: 'message', contact: { id: contact.id, name: 'Simulator' },
      message: { messageType: 'email', text: 'Where is my order? ☕\n\nOrder #42\n', email: { subject: 'Where is my order? ☕', text: 'Order #42\n' } },
      data: { from: { name: 'Simulator', address: contact.id }, subject: 'Where is my order? ☕', text: 'Order #42\n', uidValidity: 0, date: '2026-01-02T00:00:00.000Z' },
    });
    // The trigger's own filters apply to it, as to a polled mail.
    expect(channel.matches(event, props)).toBe(true);
    expect(channel.matches(await simulator.event(ctx().account, props, { ...message, text: 'Order #43' }), props)).toBe(false);
    expect((await simulator.event(ctx().account, props, message)).message?.providerMessageId).toBe(event.message?.providerMessageId);
    expect((await simulator.event(ctx().account, props, { ...message, id: 'session:m2', serial: 2 ** 52 + 12 })).id).not.toBe(event.id);
    expect(imap.commands.length).toBe(before);
  });
});

