import { describe, expect, it } from 'vitest';
import { runNode } from '../../testing.js';
import pii from './index.js';

describe('guardrails.pii', () => {
  it('fails on a card number, says where it is and what rule fired, and gives the redacted text', async () => {
    const text = 'my card is 4111 1111 1111 1111, call 98765 43210';
    const out = await runNode(pii, { text, from: 'u1' }, { text });
    expect(out).toEqual({
      fail: {
        text, from: 'u1',
        guardrail: {
          check: 'pii', passed: false,
          redactedText: 'my card is **** **** **** 1111, call ***** *3210',
          findings: [
            { rule: 'card', start: 11, end: 30, score: 0.99, reason: 'visa card (Luhn)' },
            { rule: 'phone', start: 37, end: 48, score: 0.9, reason: 'IN phone number' },
          ],
        },
      },
    });
    // The value itself is not in the findings: the record holds no more PII than the message did.
    expect(JSON.stringify((out as { fail: { guardrail: unknown } }).fail.guardrail)).not.toContain('4111 1111');
  });

  it('passes a clean text, or any text when set only to redact', async () => {
    expect(await runNode(pii, { text: 'order 123456789 ships today' }, { text: 'order 123456789 ships today' })).toMatchObject({ pass: { guardrail: { passed: true, findings: [] } } });
    expect(await runNode(pii, {}, { text: 'mail a@b.io', failOnFinding: false, redaction: 'type' })).toMatchObject({ pass: { guardrail: { passed: true, redactedText: 'mail [EMAIL]' } } });
  });

  it('ignores findings under the minimum score and kinds not asked for', async () => {
    const token = 'Zx9Qw2Er7Ty4Ui1Op8As5Df3Gh6Jk0Lm2Nb7Vc';
    expect(await runNode(pii, {}, { text: token })).toMatchObject({ pass: { guardrail: { findings: [] } } });
    expect(await runNode(pii, {}, { text: token, minScore: 0.5 })).toMatchObject({ fail: { guardrail: { findings: [{ rule: 'secret', reason: 'high-entropy token' }] } } });
    expect(await runNode(pii, {}, { text: 'mail a@b.io', types: ['card'] })).toMatchObject({ pass: {} });
  });

  it('flags a text over the scan limit instead of passing it unchecked', async () => {
    const text = 'x'.repeat(100_001);
    expect(await runNode(pii, {}, { text })).toMatchObject({ fail: { guardrail: { passed: false, reason: expect.stringMatching(/over 100000 characters/) } } });
  });

  it('refuses bad props naming the field', () => {
    expect(pii.props.safeParse({ text: 'x', types: [] }).error?.issues[0]).toMatchObject({ path: ['types'], message: 'pick at least one kind of data' });
    expect(pii.props.safeParse({ text: 'x', countries: ['india'] }).error?.issues[0]?.path).toEqual(['countries', 0]);
  });
});
