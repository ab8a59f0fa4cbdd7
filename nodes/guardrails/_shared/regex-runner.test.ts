import { describe, expect, it } from 'vitest';
import { runRegexes } from './regex-runner.js';

describe('bounded regular expressions', () => {
  it('finds matches of plain and /literal/flags patterns', async () => {
    // Generous limits where a match is expected: a busy machine may not schedule the thread at once.
    expect(await runRegexes(['order \\d+', '/REFUND/i'], 'order 12 and a refund, order 7', 5_000)).toEqual({
      ok: true, hits: [{ pattern: 'order \\d+', start: 0, end: 8 }, { pattern: 'order \\d+', start: 23, end: 30 }, { pattern: '/REFUND/i', start: 15, end: 21 }],
    });
  });

  it('stops a catastrophic pattern on a long input within its limit, and the next call works', async () => {
    const evil = `${'a'.repeat(50_000)}!`;
    const started = Date.now();
    const stopped = await runRegexes(['(a+)+$'], evil, 200);
    // The limit is what matters; the margin covers a terminated thread on a loaded machine.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(stopped).toMatchObject({ ok: false, reason: 'timeout', pattern: '(a+)+$', message: expect.stringMatching(/longer than 200 ms/) });
    for (const pattern of ['^(\\w+\\s?)*$', '(a|aa)+$', '^(a+)+$']) {
      expect(await runRegexes([pattern], evil, 200)).toMatchObject({ ok: false, reason: 'timeout' });
    }
    expect(await runRegexes(['a{3}'], 'xaaay', 5_000)).toEqual({ ok: true, hits: [{ pattern: 'a{3}', start: 1, end: 4 }] });
  });

  it('serves calls queued behind a runaway one', async () => {
    const [slow, fast] = await Promise.all([runRegexes(['(a+)+$'], `${'a'.repeat(50_000)}!`, 200), runRegexes(['b'], 'abc', 5_000)]);
    expect(slow).toMatchObject({ ok: false, reason: 'timeout' });
    expect(fast).toEqual({ ok: true, hits: [{ pattern: 'b', start: 1, end: 2 }] });
  });

  it('names a pattern that does not compile', async () => {
    expect(await runRegexes(['fine', '(unclosed'], 'x', 5_000)).toMatchObject({ ok: false, reason: 'invalid', pattern: '(unclosed', message: expect.stringMatching(/Invalid regular expression/) });
  });
});
