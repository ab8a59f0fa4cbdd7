import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelCapabilities, CredentialKindDefinition, InboundAccount, InboundDelivery, OutboundMessageRecord, SimulatedMessage } from '@switchyard/sdk';
import { createHttpClient } from '../../../runtime/net/client.js';
import { createTestContext, runNode } from '../../testing.js';
import instagramKind from '../instagram/credential.js';
import sendDm from '../instagram/send-dm/index.js';
import { startGraphFake, type GraphFake } from '../meta/fake.js';
import { instagramCredential, whatsappCredential } from '../meta/testing.js';
import telegramKind from '../telegram/credential.js';
import { startTelegramFake, type TelegramFake } from '../telegram/fake.js';
import sendMessage from '../telegram/send-message/index.js';
import { botCredential } from '../telegram/testing.js';
import twilioKind from '../twilio/credential.js';
import { startTwilioFake, type TwilioFake } from '../twilio/fake.js';
import sendSms from '../twilio/send-sms/index.js';
import whatsappKind from '../whatsapp/credential.js';
import sendText from '../whatsapp/send-text/index.js';
import { toE164 } from './phone.js';
import { fictionalPhoneNumber } from './simulated.js';

/**
 * The chat simulator's provider side (decision 031): each kind's simulated delivery passes the
 * kind's own signature check and parser, as a real delivery would; and a send node's message to a
 * simulated contact is recorded and never reaches the provider (counted on its local fake).
 */

const SERIAL = 2 ** 52 + 123_456_789;
const account = (fields: Record<string, string>): InboundAccount => ({
  credentialId: 'cred-sim', fields, secret: 'per-account-secret-0123456789abcd', callbackUrl: 'https://switchyard.example/inbound/cred-sim',
});
const kinds: [string, CredentialKindDefinition, Record<string, string>][] = [
  ['Telegram', telegramKind, { token: '123456789:AAH-fake-token-for-tests-0123456789' }],
  ['WhatsApp', whatsappKind, { phoneNumberId: '106540352242922', wabaId: '102290129340398', appSecret: 'wa-app-secret', accessToken: 't' }],
  ['Instagram', instagramKind, { igAccountId: '17841400000000001', appSecret: 'ig-app-secret', accessToken: 't' }],
  ['Twilio', twilioKind, { accountSid: `AC${'a'.repeat(32)}`, authToken: 'twilio-auth-token', defaultFrom: '+15005550006' }],
];

function delivered(kind: CredentialKindDefinition, fields: Record<string, string>, message: SimulatedMessage, tamper = false): InboundDelivery {
  const made = kind.inbound!.simulator!.deliver(account(fields), message);
  const body = tamper ? made.body.replace('Hello', 'Hellp') : made.body;
  return { method: made.method ?? 'POST', url: account(fields).callbackUrl, headers: made.headers, query: {}, rawBody: Buffer.from(body) };
}

describe.each(kinds)('the %s simulator', (_name, kind, fields) => {
  const simulator = kind.inbound!.simulator!;
  const contact = { id: simulator.contactId(SERIAL), name: 'Simulator' };

  it('types a message the kind\'s own verify and parse accept, as that contact, once per message id', () => {
    const message = { contact, id: 'session:m1', serial: SERIAL + 1, text: 'Hello 👋 café', at: 1_765_000_000_000 };
    const delivery = delivered(kind, fields, message);
    expect(kind.inbound!.verify(delivery, account(fields))).toBeUndefined();
    const [event, ...rest] = kind.inbound!.parse(delivery, account(fields));
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ type: 'message', contact: { id: contact.id }, message: { text: 'Hello 👋 café' } });
    // The same message id again is the same provider event (the gateway's dedupe holds).
    expect(kind.inbound!.parse(delivered(kind, fields, message), account(fields))[0]?.id).toBe(event!.id);
    expect(kind.inbound!.parse(delivered(kind, fields, { ...message, id: 'session:m2', serial: SERIAL + 2 }), account(fields))[0]?.id).not.toBe(event!.id);
  });

  it('presses a button: the event names the choice', () => {
    const message = { contact, id: 'session:m3', serial: SERIAL + 3, choice: { id: 'yes', title: 'Yes', providerMessageId: `${contact.id}:42` }, at: 1_765_000_000_000 };
    const [event] = kind.inbound!.parse(delivered(kind, fields, message), account(fields));
    expect(event?.message?.choice).toMatchObject({ id: 'yes' });
  });

  it('signs for real: another account\'s secret refuses it, and so does a changed body where the provider signs the body', () => {
    const message = { contact, id: 'session:m4', serial: SERIAL + 4, text: 'Hello', at: 1_765_000_000_000 };
    const other = { ...account(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, /secret|token/i.test(k) ? `${v}-other` : v]))), secret: 'another-account-secret-0123456789' };
    expect(kind.inbound!.verify(delivered(kind, fields, message), other)?.status).toBe(403);
    // Telegram signs nothing but the header (its secret token); the others sign the bytes.
    if (kind !== telegramKind) expect(kind.inbound!.verify(delivered(kind, fields, message, true), account(fields))?.status).toBe(403);
  });
});

describe('simulated phone numbers', () => {
  it('are valid E.164 numbers from the range reserved for fiction', () => {
    for (const serial of [SERIAL, SERIAL + 1, SERIAL + 1999]) {
      const number = fictionalPhoneNumber(serial);
      expect(toE164(number, 'to')).toBe(number);
      expect(number).toMatch(/^\+1\d{3}55501\d{2}$/);
    }
  });
});

/** A conversation store in which `simulated` is played by the simulator. */
function store(simulated: string): ChannelCapabilities & { outbound: OutboundMessageRecord[] } {
  const outbound: OutboundMessageRecord[] = [];
  return {
    outbound,
    async recordOutbound(message) { outbound.push(message); },
    async markBlocked() { throw new Error('a simulated contact cannot block'); },
    async acquire() {},
    async history() { return []; },
    async isPaused() { return false; },
    async isSimulated(_credentialId, contactId) { return contactId === simulated; },
    waitForReply() { throw new Error('no waits here'); },
  };
}

describe('a send to a simulated contact is recorded, never sent', () => {
  const http = createHttpClient({ allow: ['127.0.0.1'] });
  let graph: GraphFake;
  let telegram: TelegramFake;
  let twilio: TwilioFake;
  beforeAll(async () => {
    [graph, telegram, twilio] = await Promise.all([startGraphFake(), startTelegramFake(), startTwilioFake()]);
  });
  afterAll(async () => {
    http.close();
    await Promise.all([graph.close(), telegram.close(), twilio.close()]);
  });

  it('Telegram: send message', async () => {
    const chat = String(SERIAL);
    const channels = store(chat);
    const ctx = { ...createTestContext<NonNullable<typeof sendMessage.credentials>>({ http, credentials: { bot: botCredential(telegram) } }), channels };
    const result = await runNode(sendMessage, { contact: { id: chat } }, { chatId: chat, text: '*Echo:* {text}', parseMode: 'MarkdownV2', values: [{ name: 'text', value: 'a.b (c)!' }] }, ctx);
    expect(result).toMatchObject({ main: { chatId: chat, messageId: expect.any(Number) } });
    expect(channels.outbound).toEqual([expect.objectContaining({ contactId: chat, text: 'Echo: a.b (c)!', messageType: 'text' })]);
    expect(telegram.calls).toEqual([]);
  });

  it('WhatsApp: send text', async () => {
    const waId = fictionalPhoneNumber(SERIAL).slice(1);
    const channels = store(waId);
    const ctx = { ...createTestContext<NonNullable<typeof sendText.credentials>>({ http, credentials: { account: whatsappCredential(graph) } }), channels };
    const result = await runNode(sendText, { contact: { id: waId } }, { text: 'Thanks!' }, ctx);
    expect(result).toMatchObject({ main: { waId, messageId: expect.stringMatching(/^wamid\.sim-/) } });
    expect(channels.outbound).toEqual([expect.objectContaining({ contactId: waId, text: 'Thanks!' })]);
    expect(graph.calls).toEqual([]);
  });

  it('Instagram: send DM with quick replies', async () => {
    const igsid = `9${String(SERIAL).padStart(19, '0')}`;
    const channels = store(igsid);
    const ctx = { ...createTestContext<NonNullable<typeof sendDm.credentials>>({ http, credentials: { account: instagramCredential(graph) } }), channels };
    await runNode(sendDm, { contact: { id: igsid } }, { text: 'Which size?', quickReplies: [{ id: 'S', title: 'Small' }] }, ctx);
    expect(channels.outbound).toEqual([expect.objectContaining({ contactId: igsid, text: 'Which size?', choices: [{ id: 'S', title: 'Small' }] })]);
    expect(graph.calls).toEqual([]);
  });

  it('Twilio: send SMS', async () => {
    const number = fictionalPhoneNumber(SERIAL);
    const channels = store(number);
    const credential = { id: 'cred-tw', kind: 'twilio', fields: { accountSid: twilio.accountSid, authToken: twilio.authToken, baseUrl: twilio.url, defaultFrom: '+15005550006' } };
    const ctx = { ...createTestContext<NonNullable<typeof sendSms.credentials>>({ http, credentials: { account: credential } }), channels };
    const result = await runNode(sendSms, {}, { to: number, body: 'Your order shipped' }, ctx);
    expect(result).toMatchObject({ main: { messageSid: expect.stringMatching(/^SM[0-9a-f]{32}$/), to: number } });
    expect(channels.outbound).toEqual([expect.objectContaining({ contactId: number, text: 'Your order shipped' })]);
    expect(twilio.requests).toEqual([]);
  });
});
