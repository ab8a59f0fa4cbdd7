import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { credentialKinds } from './index.js';

function kind(name: string) {
  const definition = credentialKinds[name];
  if (!definition) throw new Error(`kind ${name} missing`);
  return definition;
}

/** The property names a kind's JSON Schema marks `secret: true` (what the editor masks). */
function secretFields(name: string): string[] {
  const schema = z.toJSONSchema(kind(name).schema, { io: 'input' }) as { properties?: Record<string, { secret?: boolean }> };
  return Object.entries(schema.properties ?? {}).filter(([, p]) => p.secret === true).map(([k]) => k);
}

describe('credential kinds', () => {
  it('registers the built-in kinds under their own names', () => {
    expect(Object.keys(credentialKinds).sort()).toEqual(['ai-provider', 'hmac-secret', 'http-basic', 'http-bearer', 'http-header', 'imap', 'instagram-messaging', 'paypal', 'razorpay', 'smtp', 'telegram-bot', 'twilio', 'whatsapp-cloud']);
    for (const [name, definition] of Object.entries(credentialKinds)) expect(definition.kind).toBe(name);
  });

  it('marks exactly the secret fields as secret', () => {
    expect(secretFields('http-bearer')).toEqual(['token']);
    expect(secretFields('http-basic')).toEqual(['password']);
    expect(secretFields('http-header')).toEqual(['value']);
    expect(secretFields('hmac-secret')).toEqual(['secret']);
    expect(secretFields('twilio')).toEqual(['authToken']);
    expect(secretFields('smtp')).toEqual(['password']);
    expect(secretFields('imap')).toEqual(['password']);
    expect(secretFields('telegram-bot')).toEqual(['token']);
    expect(secretFields('whatsapp-cloud')).toEqual(['accessToken', 'appSecret']);
    expect(secretFields('instagram-messaging')).toEqual(['accessToken', 'appSecret']);
    expect(secretFields('ai-provider')).toEqual(['apiKey']);
    expect(secretFields('razorpay')).toEqual(['keySecret', 'webhookSecret']);
    expect(secretFields('paypal')).toEqual(['clientSecret']);
  });

  it('validates fields', () => {
    expect(kind('http-bearer').schema.safeParse({ token: '' }).success).toBe(false);
    expect(kind('http-basic').schema.safeParse({ username: 'a:b', password: 'x' }).success).toBe(false);
    expect(kind('http-basic').schema.safeParse({ username: 'alice', password: '' }).success).toBe(true);
    expect(kind('http-header').schema.safeParse({ name: 'X Api Key', value: 'v' }).success).toBe(false);
    expect(kind('http-header').schema.safeParse({ name: 'X-Api-Key', value: 'v\r\nX-Evil: 1' }).success).toBe(false);
    expect(kind('http-header').schema.safeParse({ name: 'X-Api-Key', value: 'v' }).success).toBe(true);
  });

  it('takes an optional http(s) test URL on the HTTP kinds, which have a test, as do the channel kinds', () => {
    expect(kind('http-bearer').schema.safeParse({ token: 't', testUrl: 'https://api.example.com/me' }).success).toBe(true);
    expect(kind('http-bearer').schema.safeParse({ token: 't', testUrl: 'file:///etc/passwd' }).success).toBe(false);
    expect(kind('http-header').schema.safeParse({ name: 'X-Api-Key', value: 'v', testUrl: 'not a url' }).success).toBe(false);
    expect(kind('http-basic').schema.safeParse({ username: 'alice', password: 'p' }).success).toBe(true);
    expect(Object.values(credentialKinds).filter((k) => k.test).map((k) => k.kind).sort()).toEqual(['ai-provider', 'http-basic', 'http-bearer', 'http-header', 'imap', 'instagram-messaging', 'paypal', 'razorpay', 'smtp', 'telegram-bot', 'twilio', 'whatsapp-cloud']);
  });

  it('fills the hmac-secret defaults', () => {
    expect(kind('hmac-secret').schema.parse({ secret: 'whsec' })).toEqual({ secret: 'whsec', header: 'x-signature-256', prefix: 'sha256=' });
    expect(kind('hmac-secret').schema.parse({ secret: 's', header: 'x-hub-signature-256', prefix: '' })).toMatchObject({ prefix: '' });
  });
});
