import { describe, expect, it } from 'vitest';
import { NonRetryableError } from '@switchyard/sdk';
import { toE164 } from './phone.js';
import { fitText } from './text.js';
import { providerError } from './provider-error.js';
import { withRetryAfter } from './retry-after.js';

describe('toE164', () => {
  it('normalises international and national numbers of IN, US and GB', () => {
    expect(toE164('+91 98765 43210', 'to')).toBe('+919876543210');
    expect(toE164('098765 43210', 'to', 'IN')).toBe('+919876543210');
    expect(toE164('(415) 555-2671', 'to', 'us')).toBe('+14155552671');
    expect(toE164('whatsapp:+447911123456', 'to')).toBe('+447911123456');
  });
  it('refuses an invalid number naming the field', () => {
    expect(() => toE164('12345', 'to')).toThrow(/to: "12345" is not a valid phone number/);
    expect(() => toE164('12345', 'to')).toThrow(NonRetryableError);
  });
  it('gives the same answers from its memo: per default country, and a number valid in one country stays refused without it', () => {
    for (let round = 0; round < 2; round++) {
      expect(toE164('098765 43210', 'to', 'IN')).toBe('+919876543210');
      expect(toE164('098765 43210', 'to', 'in')).toBe('+919876543210');
      expect(() => toE164('098765 43210', 'from')).toThrow(/from: "098765 43210" is not a valid phone number \(use the international format/);
      expect(toE164(' 020 7946 0958 ', 'to', 'GB')).toBe('+442079460958');
      expect(() => toE164('020 7946 0958', 'to', 'US')).toThrow(/to: "020 7946 0958" is not a valid phone number$/);
    }
  });
});

describe('fitText', () => {
  it('keeps a short text whole and splits a long one at word breaks within the limit', () => {
    expect(fitText('hello', 10, 'split', 'text')).toEqual(['hello']);
    const parts = fitText('alpha beta gamma delta epsilon', 12, 'split', 'text');
    expect(parts.every((p) => p.length <= 12)).toBe(true);
    expect(parts.join(' ')).toBe('alpha beta gamma delta epsilon');
  });
  it('never cuts an emoji in half', () => {
    const parts = fitText('a'.repeat(9) + '😀' + 'b', 10, 'split', 'text');
    expect(parts).toEqual(['a'.repeat(9), '😀b']);
  });
  it('refuses an over-long or empty text naming the field and the limit', () => {
    expect(() => fitText('x'.repeat(11), 10, 'refuse', 'body')).toThrow(/body: the text is 11 characters; this channel allows 10/);
    expect(() => fitText('', 10, 'split', 'body')).toThrow(/body: the text is empty/);
  });
});

describe('providerError', () => {
  it('retries 429 and 5xx, not other 4xx, and names the provider code', () => {
    const refused = providerError({ provider: 'WhatsApp', status: 400, providerCode: 131047, message: 'Re-engagement message' });
    expect(refused).toBeInstanceOf(NonRetryableError);
    expect(refused.message).toBe('WhatsApp error 131047 (HTTP 400): Re-engagement message');
    expect(providerError({ provider: 'Telegram', status: 429, message: 'Too Many Requests' })).not.toBeInstanceOf(NonRetryableError);
    expect(providerError({ provider: 'Twilio', status: 503, message: 'unavailable' })).not.toBeInstanceOf(NonRetryableError);
  });
});

describe('withRetryAfter', () => {
  it('waits out short 429s and returns the first answer that is not one', async () => {
    const answers = [1, 1, 0];
    let calls = 0;
    const result = await withRetryAfter(async () => answers[calls++]!, (r) => (r === 1 ? 0.01 : undefined), new AbortController().signal);
    expect(result).toBe(0);
    expect(calls).toBe(3);
  });
  it('gives a long wait back to the caller instead of sleeping through it', async () => {
    let calls = 0;
    const result = await withRetryAfter(async () => { calls++; return 'limited'; }, () => 120, new AbortController().signal);
    expect(result).toBe('limited');
    expect(calls).toBe(1);
  });
});
