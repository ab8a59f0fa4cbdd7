import { describe, expect, it } from 'vitest';
import type { InboundAccount, InboundDelivery } from '@switchyard/sdk';
import { metaJson, signMetaBody } from './fake-webhooks.js';
import { checkMetaSignature, hmacSha256Hex, metaHandshake, sameText } from './signature.js';

const bytes = (text: string) => new TextEncoder().encode(text);

// RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
const RFC4231_KEY = 'Jefe';
const RFC4231_DATA = 'what do ya want for nothing?';
const RFC4231_SHA256 = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';

describe('checkMetaSignature', () => {
  it('computes HMAC-SHA256 as RFC 4231 test case 2 says, and accepts that signature', () => {
    expect(hmacSha256Hex(RFC4231_KEY, RFC4231_DATA)).toBe(RFC4231_SHA256);
    expect(checkMetaSignature(`sha256=${RFC4231_SHA256}`, bytes(RFC4231_DATA), RFC4231_KEY)).toBeUndefined();
    // Hex case does not matter; the bytes do.
    expect(checkMetaSignature(`sha256=${RFC4231_SHA256.toUpperCase()}`, bytes(RFC4231_DATA), RFC4231_KEY)).toBeUndefined();
  });

  it('answers 401 when the header is missing or empty', () => {
    expect(checkMetaSignature(undefined, bytes(RFC4231_DATA), RFC4231_KEY)).toEqual({ status: 401, reason: expect.stringContaining('missing') });
    expect(checkMetaSignature('', bytes(RFC4231_DATA), RFC4231_KEY)?.status).toBe(401);
  });

  it.each([
    ['a different signature', `sha256=${'0'.repeat(64)}`],
    ['one bit off', `sha256=${RFC4231_SHA256.slice(0, 63)}2`],
    ['truncated', `sha256=${RFC4231_SHA256.slice(0, 40)}`],
    ['too long', `sha256=${RFC4231_SHA256}00`],
    ['not hex', `sha256=${'zz'.repeat(32)}`],
    ['the SHA-1 scheme', `sha1=${RFC4231_SHA256.slice(0, 40)}`],
    ['no scheme', RFC4231_SHA256],
    ['the right signature of another key', `sha256=${hmacSha256Hex('other', RFC4231_DATA)}`],
  ])('answers 403 for %s, without throwing', (_name, header) => {
    const result = checkMetaSignature(header, bytes(RFC4231_DATA), RFC4231_KEY);
    expect(result?.status).toBe(403);
    expect(result?.reason).toContain('X-Hub-Signature-256');
    expect(result?.reason).not.toContain(RFC4231_KEY);
  });

  it('checks the bytes as sent: escaped unicode and emoji, which a re-serialisation would change', () => {
    const body = metaJson({ entry: [{ text: 'Café ☕ merci 😀', url: 'https://example.com/a' }] });
    expect(body).toContain('Caf\\u00e9');
    expect(body).toContain('\\ud83d\\ude00');
    expect(body).toContain('https:\\/\\/example.com');
    const secret = 'app-secret-1';
    const header = signMetaBody(body, secret);
    expect(checkMetaSignature(header, bytes(body), secret)).toBeUndefined();
    // The same JSON value, re-serialised, is other bytes: its signature must not pass for this body.
    const reserialised = JSON.stringify(JSON.parse(body));
    expect(reserialised).toContain('Café');
    expect(checkMetaSignature(signMetaBody(reserialised, secret), bytes(body), secret)?.status).toBe(403);
    expect(checkMetaSignature(header, bytes(reserialised), secret)?.status).toBe(403);
  });

  it('refuses when the account has no app secret', () => {
    expect(checkMetaSignature(`sha256=${hmacSha256Hex('', 'x')}`, bytes('x'), '')?.status).toBe(403);
  });
});

describe('metaHandshake', () => {
  const account: InboundAccount = { credentialId: 'cred-1', fields: {}, secret: 'verify-token-abc', callbackUrl: 'https://sy.example/inbound/cred-1' };
  const get = (query: Record<string, string>, method = 'GET'): InboundDelivery => ({ method, url: account.callbackUrl, headers: {}, query, rawBody: new Uint8Array() });

  it('answers the subscription check with exactly the challenge, as text/plain', () => {
    const reply = metaHandshake(get({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-token-abc', 'hub.challenge': '1158201444' }), account);
    expect(reply).toEqual({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '1158201444' });
  });

  it('refuses a wrong or missing token with 403 and does not echo the challenge', () => {
    for (const token of ['verify-token-abd', 'verify-token-ab', '', undefined]) {
      const query: Record<string, string> = { 'hub.mode': 'subscribe', 'hub.challenge': 'c-1' };
      if (token !== undefined) query['hub.verify_token'] = token;
      const reply = metaHandshake(get(query), account);
      expect(reply?.status).toBe(403);
      expect(reply?.body).not.toContain('c-1');
    }
    expect(metaHandshake(get({ 'hub.mode': 'unsubscribe', 'hub.verify_token': 'verify-token-abc', 'hub.challenge': 'c' }), account)?.status).toBe(403);
  });

  it('leaves deliveries and other requests to the signature check', () => {
    expect(metaHandshake(get({ 'hub.mode': 'subscribe' }, 'POST'), account)).toBeUndefined();
    expect(metaHandshake(get({}), account)).toBeUndefined();
  });

  it('compares texts whatever their lengths', () => {
    expect(sameText('abc', 'abc')).toBe(true);
    expect(sameText('abc', 'abcd')).toBe(false);
    expect(sameText('', '')).toBe(true);
  });
});
