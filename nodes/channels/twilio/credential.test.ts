import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../runtime/net/client.js';
import { startTwilioFake, type TwilioFake } from './fake.js';
import twilioCredential from './credential.js';

let fake: TwilioFake;
const http = createHttpClient({ allow: ['127.0.0.1'] });
beforeAll(async () => { fake = await startTwilioFake(); });
afterAll(async () => { http.close(); await fake.close(); });

const test = (fields: Record<string, string>, client = http) => twilioCredential.test!(fields, { http: client, signal: new AbortController().signal });

describe('twilio credential kind', () => {
  it('"Test connection" fetches the account through the base URL', async () => {
    const result = await test({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url });
    expect(result).toEqual({ ok: true, message: 'Connected to the Twilio account "Switchyard test account" (active).' });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: `/2010-04-01/Accounts/${fake.accountSid}.json`, authorized: true });
  });

  it('says the SID and token were refused (20003) without echoing the token', async () => {
    const result = await test({ accountSid: fake.accountSid, authToken: 'not-the-token', baseUrl: fake.url });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/20003/);
    expect(result.message).not.toContain('not-the-token');
  });

  it('reports a base URL the outbound guard refuses as a failed test, having sent nothing', async () => {
    const guarded = createHttpClient();
    const before = fake.requests.length;
    const result = await test({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url }, guarded);
    guarded.close();
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/127\.0\.0\.1/);
    expect(fake.requests.length).toBe(before);
  });

  it('validates the Account SID, sender and base URL', () => {
    const parsed = twilioCredential.schema.safeParse({ accountSid: 'AB123', authToken: 't', defaultFrom: 'not valid!!', baseUrl: 'ftp://x' });
    expect(parsed.error?.issues.map((i) => i.path[0]).sort()).toEqual(['accountSid', 'baseUrl', 'defaultFrom']);
    expect(twilioCredential.schema.safeParse({ accountSid: fake.accountSid, authToken: 't', defaultFrom: 'MG' + 'f'.repeat(32) }).success).toBe(true);
  });

  it('replies from the inbox from the default sender, on WhatsApp when the contact wrote on WhatsApp', async () => {
    const acquired: string[] = [];
    const ctx = (fields: Record<string, string>) => ({
      account: { credentialId: 'cred-tw', secret: 's', callbackUrl: 'https://switchyard.example/inbound/cred-tw', fields: { accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url, ...fields } },
      http, signal: new AbortController().signal, log: { debug() {}, info() {}, warn() {}, error() {} },
      async acquire(key: string) { acquired.push(key); },
    });
    const sms = await twilioCredential.replyText!(ctx({ defaultFrom: '+15005550006' }), '+14155550123', 'A person here: how can I help?');
    const wa = await twilioCredential.replyText!(ctx({ defaultFrom: '+15005550006' }), 'whatsapp:+447911123456', 'Hi on WhatsApp');
    expect(fake.messages.slice(-2).map((m) => [m.sid, m.to, m.from, m.body, m.statusCallback])).toEqual([
      [sms.providerMessageId, '+14155550123', '+15005550006', 'A person here: how can I help?', 'https://switchyard.example/inbound/cred-tw'],
      [wa.providerMessageId, 'whatsapp:+447911123456', 'whatsapp:+15005550006', 'Hi on WhatsApp', 'https://switchyard.example/inbound/cred-tw'],
    ]);
    expect(acquired).toEqual(['twilio:cred-tw:+15005550006', 'twilio:cred-tw:whatsapp:+15005550006']);
    await expect(twilioCredential.replyText!(ctx({}), '+14155550123', 'x')).rejects.toThrow(/no default sender/);
    await expect(twilioCredential.replyText!(ctx({ defaultFrom: '+15005550006' }), '+14155550123', 'y'.repeat(1601))).rejects.toThrow(/allows 1600/);
  });
});
