import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkTextFilter, textFilterField, textMatches, textPatternField, unsafeRegexReason } from './text-filter.js';

const schema = z.object({ textFilter: textFilterField, pattern: textPatternField }).superRefine(checkTextFilter);

describe('trigger text filter', () => {
  it('matches keywords ignoring case and surrounding spaces', () => {
    expect(textMatches('  Where is my ORDER? ', 'contains', 'order')).toBe(true);
    expect(textMatches('Hi', 'equals', 'hi ')).toBe(true);
    expect(textMatches('Hi there', 'equals', 'hi')).toBe(false);
    expect(textMatches('STOP please', 'startsWith', 'stop')).toBe(true);
    expect(textMatches('please stop', 'startsWith', 'stop')).toBe(false);
  });

  it('matches a regular expression, plain or /pattern/flags', () => {
    expect(textMatches('hello world', 'regex', '^(hi|hello)\\b')).toBe(true);
    expect(textMatches('HELLO', 'regex', '/^hello$/i')).toBe(true);
    expect(textMatches('HELLO', 'regex', '^hello$')).toBe(false);
  });

  it('lets every message through "any", and none without text through a filter', () => {
    expect(textMatches(undefined, 'any', undefined)).toBe(true);
    expect(textMatches(undefined, 'contains', 'x')).toBe(false);
  });

  it('refuses a missing pattern, a bad regex and a catastrophic one as props errors naming the field', () => {
    const issues = (value: unknown) => schema.safeParse(value).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues({ textFilter: 'contains' })).toEqual(['pattern: enter the keyword or pattern to filter on']);
    expect(issues({ textFilter: 'regex', pattern: '(unclosed' })[0]).toMatch(/^pattern: regex: invalid pattern/);
    expect(issues({ textFilter: 'regex', pattern: '^(a+)+$' })[0]).toMatch(/^pattern: a repeated group/);
    expect(issues({ textFilter: 'regex', pattern: '(\\w+\\s?)*$' })[0]).toMatch(/^pattern: a repeated group/);
    expect(issues({ textFilter: 'regex', pattern: '(a)\\1' })[0]).toMatch(/^pattern: backreferences/);
    expect(issues({ textFilter: 'regex', pattern: '^order (\\d+)$' })).toEqual([]);
    expect(issues({ textFilter: 'any' })).toEqual([]);
  });

  it('tells safe patterns from exponential ones', () => {
    expect(unsafeRegexReason('[(+]+(ab)+')).toBeUndefined();
    expect(unsafeRegexReason('(ab)+c*')).toBeUndefined();
    expect(unsafeRegexReason('((a*)b)*')).toBeDefined();
    expect(unsafeRegexReason('(x+){2,}')).toBeDefined();
    expect(unsafeRegexReason('\\(a+\\)+')).toBeUndefined();
  });

  it('does not run an unsafe pattern that reached it without validation', () => {
    const started = process.hrtime.bigint();
    expect(textMatches(`${'a'.repeat(40)}!`, 'regex', '^(a+)+$')).toBe(false);
    // Exponential backtracking on 40 characters would take minutes; refusing takes nothing.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(5_000);
  });
});
