import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NodeError, NonRetryableError, type ChannelCapabilities, type CredentialValue, type OutboundMessageRecord } from '@switchyard/sdk';
import { createHttpClient } from '../../../../runtime/net/client.js';
import { OutboundBlockedError } from '../../../../runtime/net/errors.js';
import { createTestContext, runNode } from '../../../testing.js';
import { startTwilioFake, type TwilioFake } from '../fake.js';
import sendSms from './index.js';

/** What the node told the conversation store (the runtime's implementation is tested with the gateway). */
interface Recorded { outbound: OutboundMessageRecord[]; blocked: string[]; acquired: string[] }

function recordingChannels(recorded: Recorded): ChannelCapabilities {
  return {
    async recordOutbound(message) { recorded.outbound.push(message); },
    async markBlocked(credentialId, contactId) { recorded.blocked.push(`${credentialId}/${contactId}`); },
    async acquire(key) { recorded.acquired.push(key); },
    async history() { return []; },
    async isPaused() { return false; },
    waitForReply() { throw new Error('send-sms never waits'); },
  };
}

let fake: TwilioFake;
const http = createHttpClient({ allow: ['127.0.0.1'] });
const guarded = createHttpClient();
let recorded: Recorded;

beforeAll(async () => {
  fake = await startTwilioFake();
});
afterAll(async () => {
  http.close();
  guarded.close();
  await fake.close();
});
beforeEach(() => {
  recorded = { outbound: [], blocked: [], acquired: [] };
  fake.messages.length = 0;
  fake.requests.length = 0;
});

function account(fields: Record<string, string> = {}): CredentialValue {
  return {
    id: 'cred-tw', kind: 'twilio', callbackUrl: 'https://switchyard.example/inbound/cred-tw',
    fields: { accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url, defaultFrom: '+15005550006', ...fields },
  };
}

function send(props: Parameters<typeof runNode<typeof sendSms.props, NonNullable<typeof sendSms.credentials>>>[2], options: { account?: CredentialValue; client?: typeof http } = {}) {
  const ctx = { ...createTestContext<NonNullable<typeof sendSms.credentials>>({ http: options.client ?? http, credentials: { account: options.account ?? account() } }), channels: recordingChannels(recorded) };
  return runNode(sendSms, {}, props, ctx);
}

async function failure(promise: Promise<unknown>): Promise<NodeError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(NodeError);
  return error as NodeError;
}

describe('twilio.send-sms through the official SDK', () => {
  it('sends with Basic auth, asks for status callbacks at the account\'s callback URL and records the message', async () => {
    const result = await send({ to: '+1 415 555 0123', body: 'Your order shipped 📦' });
    expect(fake.messages).toHaveLength(1);
    const sent = fake.messages[0]!;
    expect(sent).toMatchObject({ to: '+14155550123', from: '+15005550006', body: 'Your order shipped 📦', statusCallback: 'https://switchyard.example/inbound/cred-tw' });
    expect(fake.requests.every((r) => r.authorized)).toBe(true);
    expect(result).toEqual({ main: { messageSid: sent.sid, messageSids: [sent.sid], parts: 1, to: '+14155550123', from: '+15005550006', status: 'queued' } });
    expect(recorded.outbound).toEqual([{ credentialId: 'cred-tw', contactId: '+14155550123', providerMessageId: sent.sid, messageType: 'text', text: 'Your order shipped 📦', status: 'queued' }]);
    expect(recorded.acquired).toEqual(['twilio:cred-tw:+15005550006']);
  });

  it('normalises national numbers, keeps WhatsApp on WhatsApp, and sends through a Messaging Service', async () => {
    await send({ to: '098765 43210', defaultCountry: 'IN', body: 'hi' });
    await send({ to: 'whatsapp:+44 7911 123456', body: 'hi', statusUpdates: false });
    await send({ to: '+14155550123', from: 'MG' + 'a'.repeat(32), body: 'hi', mediaUrls: ['https://example.com/a.png'] });
    expect(fake.messages.map((m) => [m.to, m.from, m.messagingServiceSid, m.statusCallback, m.mediaUrls])).toEqual([
      ['+919876543210', '+15005550006', null, 'https://switchyard.example/inbound/cred-tw', []],
      ['whatsapp:+447911123456', 'whatsapp:+15005550006', null, null, []],
      ['+14155550123', null, 'MG' + 'a'.repeat(32), 'https://switchyard.example/inbound/cred-tw', ['https://example.com/a.png']],
    ]);
    expect(recorded.outbound[2]).toMatchObject({ messageType: 'image', media: [{ url: 'https://example.com/a.png' }] });
  });

  it('splits a text over 1,600 characters into several messages, or refuses it without sending', async () => {
    const long = ('word '.repeat(400)).trim();
    const result = await send({ to: '+14155550123', body: long });
    expect(fake.messages.length).toBe(2);
    expect(fake.messages.every((m) => m.body.length <= 1600)).toBe(true);
    expect(fake.messages.map((m) => m.body).join(' ')).toBe(long);
    expect(result).toMatchObject({ main: { parts: 2 } });
    const refused = await failure(send({ to: '+14155550123', body: long, overLongText: 'refuse' }));
    expect(refused).toBeInstanceOf(NonRetryableError);
    expect(refused.message).toMatch(/^body: the text is 1999 characters; this channel allows 1600/);
    expect(fake.messages.length).toBe(2);
  });

  it('refuses bad numbers, senders and media URLs naming the field, before calling Twilio', async () => {
    expect((await failure(send({ to: '12345', body: 'x' }))).message).toMatch(/^to: "12345" is not a valid phone number/);
    expect((await failure(send({ to: '+14155550123', body: 'x', from: 'not a sender!' }))).message).toMatch(/^from: /);
    expect((await failure(send({ to: '+14155550123', body: 'x' }, { account: account({ defaultFrom: '' }) }))).message).toMatch(/^from: no sender/);
    expect((await failure(send({ to: '+14155550123', body: 'x', mediaUrls: ['ftp://example.com/a.png'] }))).message).toMatch(/^mediaUrls\[0\]: .*http\(s\) only/);
    expect(fake.requests).toHaveLength(0);
  });

  it('carries Twilio\'s code and message: 21211 is not retried, 21610 marks the contact blocked', async () => {
    fake.fail({ status: 400, code: 21211, message: "The 'To' number +14155550199 is not a valid phone number." });
    const invalid = await failure(send({ to: '+14155550199', body: 'x' }));
    expect(invalid).toBeInstanceOf(NonRetryableError);
    expect(invalid.message).toBe("Twilio error 21211 (HTTP 400): The 'To' number +14155550199 is not a valid phone number.");
    expect(invalid.details).toMatchObject({ provider: 'Twilio', status: 400, providerCode: 21211 });
    expect(recorded.blocked).toEqual([]);

    fake.fail({ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    const unsubscribed = await failure(send({ to: '+14155550123', body: 'x' }));
    expect(unsubscribed).toBeInstanceOf(NonRetryableError);
    expect(recorded.blocked).toEqual(['cred-tw/+14155550123']);
    expect(fake.messages).toHaveLength(0);
  });

  it('waits out a short 429 (Retry-After) and hands a long one back as a retryable error', async () => {
    fake.fail({ status: 429, code: 20429, message: 'Too Many Requests', retryAfter: 0 });
    await send({ to: '+14155550123', body: 'after a pause' });
    expect(fake.messages).toHaveLength(1);
    expect(fake.requests.filter((r) => r.path.endsWith('/Messages.json'))).toHaveLength(2);

    fake.fail({ status: 429, code: 20429, message: 'Too Many Requests', retryAfter: 120 });
    const limited = await failure(send({ to: '+14155550123', body: 'x' }));
    expect(limited).not.toBeInstanceOf(NonRetryableError);
    expect(limited.details).toMatchObject({ status: 429, providerCode: 20429, retryAfterSeconds: 120 });
  });

  it('reports wrong credentials as Twilio error 20003 without the token in the message', async () => {
    const wrong = await failure(send({ to: '+14155550123', body: 'x' }, { account: account({ authToken: 'wrong-token-value' }) }));
    expect(wrong).toBeInstanceOf(NonRetryableError);
    expect(wrong.message).toMatch(/Twilio error 20003 \(HTTP 401\)/);
    const shown = JSON.stringify({ message: wrong.message, details: wrong.details });
    expect(shown).not.toContain('wrong-token-value');
    expect(shown).not.toContain(fake.authToken);
    expect(fake.requests.map((r) => r.authorized)).toEqual([false]);
  });

  it('goes through the outbound guard: a base URL on a private address is refused before any request', async () => {
    const error = await send({ to: '+14155550123', body: 'x' }, { client: guarded }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundBlockedError);
    expect(fake.requests).toHaveLength(0);
  });
});
