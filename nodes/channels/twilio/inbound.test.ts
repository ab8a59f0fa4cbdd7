import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { InboundPayloadError, type InboundAccount, type InboundDelivery } from '@switchyard/sdk';
import { inboundSmsParams } from './fake.js';
import { checkTwilioSignature, EMPTY_TWIML, parseTwilioDelivery, twilioInbound } from './inbound.js';

/** The request-validation example every Twilio SDK tests against (twilio-node spec/validation.spec.js). */
const VECTOR = {
  token: '12345',
  url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
  params: { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' },
  signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
};

function delivery(url: string, body: string, signature?: string, contentType = 'application/x-www-form-urlencoded'): InboundDelivery {
  return {
    method: 'POST', url, query: {}, rawBody: new TextEncoder().encode(body),
    headers: { 'content-type': contentType, ...(signature !== undefined ? { 'x-twilio-signature': signature } : {}) },
  };
}

function form(params: Record<string, string | string[]>): string {
  const out = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
  return out.toString();
}

const ACCOUNT_SID = 'AC' + 'a'.repeat(32);
const account = (authToken: string): InboundAccount => ({ credentialId: 'cred-1', fields: { accountSid: ACCOUNT_SID, authToken }, secret: 'unused', callbackUrl: 'https://switchyard.example/inbound/cred-1' });

describe('X-Twilio-Signature', () => {
  it('accepts the published vectors over the raw form body (params in any order, default port added or not)', () => {
    // Posted in an order other than the sorted one the signature is computed over.
    const body = 'Digits=1234&To=%2B18005551212&From=%2B14158675309&Caller=%2B14158675309&CallSid=CA1234567890ABCDE';
    expect(checkTwilioSignature(delivery(VECTOR.url, body, VECTOR.signature), VECTOR.token)).toBeUndefined();
    // The same signature for the URL with its port (twilio-node: "validate https urls with ports by stripping them").
    expect(checkTwilioSignature(delivery(VECTOR.url.replace('.com', '.com:1234'), body, VECTOR.signature), VECTOR.token)).toBeUndefined();
    // Signed over the URL with :443 added, and over http with :80.
    expect(checkTwilioSignature(delivery(VECTOR.url, body, 'kvajT1Ptam85bY51eRf/AJRuM3w='), VECTOR.token)).toBeUndefined();
    expect(checkTwilioSignature(delivery(VECTOR.url.replace('https', 'http'), body, '0ZXoZLH/DfblKGATFgpif+LLRf4='), VECTOR.token)).toBeUndefined();
    // Repeated parameters: each value, sorted and de-duplicated.
    const repeated = form({ Sid: 'CA123', SidAccount: 'AC123', Digits: ['5678', '1234', '1234'] });
    expect(checkTwilioSignature(delivery(VECTOR.url, repeated, 'IK+Dwps556ElfBT0I3Rgjkr1wJU='), VECTOR.token)).toBeUndefined();
    // A query string with a quote, as Twilio signs it.
    expect(checkTwilioSignature(delivery(`${VECTOR.url}&Body=It's+amazing`, body, 'dsq4Ehbj6cs+KdTkpF5sSSplOWw='), VECTOR.token)).toBeUndefined();
  });

  it('accepts a JSON body signed through bodySHA256 (published vector)', () => {
    const json = '{"property": "value", "boolean": true}';
    const url = `${VECTOR.url}&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620`;
    expect(checkTwilioSignature(delivery(url, json, 'a9nBmqA0ju/hNViExpshrM61xv4=', 'application/json'), VECTOR.token)).toBeUndefined();
    expect(checkTwilioSignature(delivery(url, json.replace('true', 'false'), 'a9nBmqA0ju/hNViExpshrM61xv4=', 'application/json'), VECTOR.token)?.status).toBe(403);
  });

  it('agrees with the SDK\'s validateRequest (the oracle) on random deliveries, right and wrong', () => {
    for (let i = 0; i < 200; i++) {
      const token = randomBytes(16).toString('hex');
      const url = `https://hooks.example.com/inbound/${randomBytes(4).toString('hex')}${i % 3 === 0 ? '?x=' + i : ''}`;
      const params = inboundSmsParams({ accountSid: ACCOUNT_SID, from: '+1415555' + String(1000 + i), to: '+15005550006', body: `héllo 👋 ${randomBytes(6).toString('base64')} & = + %` });
      const right = twilio.getExpectedTwilioSignature(token, url, params);
      const signature = i % 2 === 0 ? right : twilio.getExpectedTwilioSignature(token + 'x', url, params);
      const ours = checkTwilioSignature(delivery(url, form(params), signature), token) === undefined;
      expect(ours).toBe(twilio.validateRequest(token, signature, url, params));
      expect(ours).toBe(i % 2 === 0);
    }
  });

  it('answers 401 when the header is missing and 403 for forged, truncated, tampered or odd signatures, never throwing', () => {
    const body = form(VECTOR.params);
    const check = (signature: string | undefined, url = VECTOR.url, payload = body) => checkTwilioSignature(delivery(url, payload, signature), VECTOR.token);
    expect(check(undefined)).toEqual({ status: 401, reason: expect.stringContaining('X-Twilio-Signature header is missing') });
    expect(check('')?.status).toBe(401);
    expect(check(VECTOR.signature.slice(0, 10))?.status).toBe(403);
    expect(check(VECTOR.signature + 'A')?.status).toBe(403);
    expect(check('not base64 at all ✗ \u0000')?.status).toBe(403);
    expect(check('A'.repeat(10_000))?.status).toBe(403);
    expect(check(VECTOR.signature, VECTOR.url + '&extra=1')?.status).toBe(403);
    expect(check(VECTOR.signature, VECTOR.url, body.replace('1234', '9999'))?.status).toBe(403);
    expect(check(VECTOR.signature, 'not a url')?.status).toBe(403);
    expect(checkTwilioSignature(delivery(VECTOR.url, body, VECTOR.signature), '')?.status).toBe(403);
    // The reason names the header, never the token.
    expect(JSON.stringify(check('x'))).not.toContain(VECTOR.token);
  });

  it('is what the credential kind verifies with, keyed by the account\'s Auth Token', () => {
    const body = form(VECTOR.params);
    expect(twilioInbound.verify(delivery(VECTOR.url, body, VECTOR.signature), account('12345'))).toBeUndefined();
    expect(twilioInbound.verify(delivery(VECTOR.url, body, VECTOR.signature), account('54321'))?.status).toBe(403);
    expect(twilioInbound.acknowledge).toEqual({ status: 200, headers: { 'content-type': 'text/xml' }, body: EMPTY_TWIML });
    expect(EMPTY_TWIML).toBe(new twilio.twiml.MessagingResponse().toString());
  });
});

describe('parsing Twilio deliveries', () => {
  it('turns an incoming SMS into a message event keyed by its MessageSid', () => {
    const params = inboundSmsParams({ accountSid: ACCOUNT_SID, from: '+14155550123', to: '+15005550006', body: 'Hi there 👋' });
    const [event, ...rest] = parseTwilioDelivery(delivery('https://x/inbound/1', form(params)), 1000);
    expect(rest).toHaveLength(0);
    expect(event).toMatchObject({
      id: params.MessageSid, type: 'message', contact: { id: '+14155550123' }, at: 1000,
      message: { providerMessageId: params.MessageSid, messageType: 'text', text: 'Hi there 👋' },
      data: { messageSid: params.MessageSid, channel: 'sms', text: 'Hi there 👋', from: '+14155550123', to: '+15005550006', media: [], raw: { Body: 'Hi there 👋' } },
    });
  });

  it('reads MMS media and WhatsApp senders (prefix kept, so a reply goes back on WhatsApp)', () => {
    const params = inboundSmsParams({
      accountSid: ACCOUNT_SID, from: 'whatsapp:+447911123456', to: 'whatsapp:+15005550006', body: '',
      media: [{ url: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1', contentType: 'image/jpeg' }, { url: 'https://api.twilio.com/m2', contentType: 'application/pdf' }],
    });
    params.ProfileName = 'Ada';
    const [event] = parseTwilioDelivery(delivery('https://x/inbound/1', form(params)));
    expect(event?.contact).toEqual({ id: 'whatsapp:+447911123456', name: 'Ada' });
    expect(event?.message).toMatchObject({ messageType: 'image', media: [{ kind: 'image', mimeType: 'image/jpeg' }, { kind: 'application', mimeType: 'application/pdf' }] });
    expect(event?.data).toMatchObject({ channel: 'whatsapp', profileName: 'Ada', media: [{ contentType: 'image/jpeg' }, { contentType: 'application/pdf' }] });
  });

  it('turns a status callback into a status event per status, mapping Twilio\'s statuses and carrying ErrorCode', () => {
    const sid = 'SM' + 'b'.repeat(32);
    const status = (s: string, extra: Record<string, string> = {}) => parseTwilioDelivery(delivery('https://x', form({ MessageSid: sid, SmsSid: sid, MessageStatus: s, SmsStatus: s, To: '+14155550123', From: '+15005550006', AccountSid: ACCOUNT_SID, ...extra })), 5)[0];
    expect(status('delivered')).toMatchObject({ id: `status:${sid}:delivered`, type: 'status', contact: { id: '+14155550123' }, status: { providerMessageId: sid, status: 'delivered', at: 5 } });
    expect(status('sent')?.status?.status).toBe('sent');
    expect(status('read')?.status?.status).toBe('read');
    expect(status('queued')?.status?.status).toBe('queued');
    expect(status('undelivered', { ErrorCode: '30003' })).toMatchObject({ status: { status: 'failed', error: { code: '30003' } }, data: { errorCode: '30003', status: 'undelivered' } });
    expect(status('failed', { ErrorCode: '30008' })?.status?.error?.code).toBe('30008');
    // A status Twilio may add later is passed on, unmapped.
    expect(status('partially_delivered')).toMatchObject({ id: `status:${sid}:partially_delivered`, type: 'status', data: { deliveryStatus: null } });
    expect(status('partially_delivered')?.status).toBeUndefined();
  });

  it('refuses what is not a Twilio messaging webhook, naming what is wrong', () => {
    const parse = (body: string, type?: string) => () => parseTwilioDelivery(delivery('https://x', body, undefined, type));
    expect(parse('Body=hi&From=%2B1415')).toThrow(InboundPayloadError);
    expect(parse('Body=hi&From=%2B1415')).toThrow(/MessageSid is missing/);
    expect(parse('MessageSid=../../etc')).toThrow(/is not a Twilio message SID/);
    expect(parse('{"MessageSid":"SM1"}', 'application/json')).toThrow(/expected a form-encoded body/);
    expect(parse('%E0%A4%A=broken&MessageSid=SM' + 'c'.repeat(32))).not.toThrow();
  });
});
