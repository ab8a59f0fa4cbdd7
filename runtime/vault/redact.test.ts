import { describe, expect, it } from 'vitest';
import { isSecretKey, REDACTED, Redactor, redactSecretKeys } from './redact.js';

describe('Redactor', () => {
  it('replaces learned secrets in strings and nested JSON, keys included, without touching the input', () => {
    const redactor = new Redactor().learnCredential({ kind: 'http-bearer', fields: { token: 'tok_12345' } });
    const input = { headers: { auth: 'Bearer tok_12345' }, list: ['a tok_12345 b', 42, null, true], tok_12345: 'x' };
    const out = redactor.redact(input);
    expect(out).toEqual({ headers: { auth: `Bearer ${REDACTED}` }, list: [`a ${REDACTED} b`, 42, null, true], [REDACTED]: 'x' });
    expect(input.headers.auth).toBe('Bearer tok_12345');
    expect(JSON.stringify(out)).not.toContain('tok_12345');
  });

  it('ignores values shorter than 4 characters, and replaces overlapping secrets whole', () => {
    const redactor = new Redactor().learn('abc').learn('secret').learn('secret-long');
    expect(redactor.size).toBe(2);
    expect(redactor.redactString('abc secret-long secret')).toBe(`abc ${REDACTED} ${REDACTED}`);
  });

  it('learns the forms credentials travel in: URL-encoded and HTTP Basic base64', () => {
    const redactor = new Redactor().learnCredential({ kind: 'http-basic', fields: { username: 'alice', password: 'p@ss word' } });
    const basic = Buffer.from('alice:p@ss word').toString('base64');
    expect(redactor.redactString(`Basic ${basic}`)).toBe(`Basic ${REDACTED}`);
    expect(redactor.redactString('?pw=p%40ss%20word')).toBe(`?pw=${REDACTED}`);
  });

  it('treats regex metacharacters literally and keeps shared (non-cyclic) references', () => {
    const redactor = new Redactor().learn('a.b*c(d)');
    expect(redactor.redactString('aXbbc(d) a.b*c(d)')).toBe(`aXbbc(d) ${REDACTED}`);
    const shared = { v: 'a.b*c(d)' };
    expect(redactor.redact({ one: shared, two: shared })).toEqual({ one: { v: REDACTED }, two: { v: REDACTED } });
    const cyclic: { self?: unknown; v: string } = { v: 'x' };
    cyclic.self = cyclic;
    expect(redactor.redact(cyclic)).toEqual({ v: 'x', self: '[circular]' });
  });

  it('passes dates and bytes through untouched, and turns errors into redacted plain objects', () => {
    const redactor = new Redactor().learn('hunter22');
    const when = new Date('2024-01-02T03:04:05Z');
    const bytes = Buffer.from('hunter22');
    const out = redactor.redact({ when, bytes, error: new Error('login hunter22 failed') });
    expect(out.when).toBe(when);
    expect(out.bytes).toBe(bytes);
    expect(out.error).toEqual({ name: 'Error', message: `login ${REDACTED} failed` });
  });
});

describe('redactJson (step records)', () => {
  it('returns the very value when no secret occurs in it, and a redacted copy when one does, in a value or a key', () => {
    const redactor = new Redactor().learn('tok-123456');
    const clean = { input: { text: 'hello' }, output: { main: [{ id: 1, tags: ['a', 'b'] }] }, error: null };
    expect(redactor.redactJson(clean)).toBe(clean);
    const leaky = { input: { headers: { auth: 'Bearer tok-123456' } }, output: { 'tok-123456': true } };
    expect(redactor.redactJson(leaky)).toEqual({ input: { headers: { auth: `Bearer ${REDACTED}` } }, output: { [REDACTED]: true } });
    expect(leaky.input.headers.auth).toBe('Bearer tok-123456');
  });

  it('still finds a secret that JSON would write with escapes (quotes, backslashes, controls)', () => {
    for (const secret of ['pa"ss-word', 'back\\slash', 'tab\there']) {
      const redactor = new Redactor().learn(secret);
      expect(redactor.redactJson({ v: `x ${secret} y` })).toEqual({ v: `x ${REDACTED} y` });
    }
  });
});

describe('secret keys', () => {
  it.each(['authorization', 'Authorization', 'password', 'api_key', 'apiKey', 'x-api-key', 'token', 'access_token', 'client_secret', 'Cookie'])(
    'recognises %s', (key) => expect(isSecretKey(key)).toBe(true),
  );
  it.each(['name', 'url', 'tokens_used', 'status'])('leaves %s alone', (key) => expect(isSecretKey(key)).toBe(false));

  it('redacts well-known keys at any depth for log objects', () => {
    const out = redactSecretKeys({ req: { headers: { Authorization: 'Bearer x', accept: '*/*' } }, user: { password: 'hunter2', name: 'bob' } });
    expect(out).toEqual({ req: { headers: { Authorization: REDACTED, accept: '*/*' } }, user: { password: REDACTED, name: 'bob' } });
  });
});
