import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { assertStorable, findUnstorable, formatPath, isUnstorableValueError, MAX_STORED_DEPTH, storableText } from './storable.js';

/** `levels` arrays nested in each other, innermost empty. */
function nested(levels: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < levels; i++) value = [value];
  return value;
}

describe('findUnstorable', () => {
  it('accepts ordinary JSON', () => {
    expect(findUnstorable({ a: [1, 'two', null, true, { b: 'ü €' }] })).toBeUndefined();
    expect(findUnstorable('text')).toBeUndefined();
    expect(findUnstorable(null)).toBeUndefined();
  });

  it('finds a NUL character in a value or a key, with its path', () => {
    expect(findUnstorable({ a: [1, { b: 'x\0y' }] })).toEqual({ path: ['a', 1, 'b'], message: expect.stringContaining('NUL character') });
    expect(findUnstorable({ ok: 1, ['k\0']: 1 })).toEqual({ path: ['k\0'], message: expect.stringMatching(/^has a key that contains the NUL/) });
    expect(findUnstorable('\0')).toEqual({ path: [], message: expect.stringContaining('NUL') });
  });

  it('finds an unpaired surrogate (jsonb has no UTF-8 form for it) but keeps proper pairs', () => {
    expect(findUnstorable({ text: 'emoji 😀 fine' })).toBeUndefined();
    expect(findUnstorable({ text: ['cut in half \ud83d'] })).toEqual({ path: ['text', 0], message: expect.stringContaining('unpaired UTF-16 surrogate') });
    expect(findUnstorable({ ['\ude00']: 1 })?.message).toMatch(/^has a key that contains an unpaired/);
  });

  it(`refuses nesting past ${MAX_STORED_DEPTH} levels and stops walking there`, () => {
    expect(findUnstorable(nested(MAX_STORED_DEPTH))).toBeUndefined();
    const found = findUnstorable(nested(MAX_STORED_DEPTH + 1));
    expect(found?.message).toBe(`nests deeper than ${MAX_STORED_DEPTH} levels`);
    expect(found?.path).toHaveLength(MAX_STORED_DEPTH);
    // Far deeper than a recursive walk could follow: still an answer, not a RangeError.
    expect(findUnstorable(JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)))?.message).toMatch(/nests deeper/);
    expect(findUnstorable({ a: { b: {} } }, 2)).toEqual({ path: ['a', 'b'], message: 'nests deeper than 2 levels' });
  });
});

describe('assertStorable', () => {
  it('throws a 400 naming the place', () => {
    let thrown: unknown;
    try {
      assertStorable({ items: [{ name: 'a\0' }] }, 'body');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ status: 400, code: 'validation_failed', details: [{ path: ['body', 'items', 0, 'name'] }] });
    expect((thrown as AppError).message).toMatch(/^body\.items\[0\]\.name contains the NUL character/);
    expect(() => assertStorable({ fine: true }, 'body')).not.toThrow();
  });
});

describe('helpers', () => {
  it('formats paths the way the editor shows them', () => {
    expect(formatPath(['a', 0, 'b c', 'd'])).toBe('a[0]["b c"].d');
    expect(formatPath(['s'], '$')).toBe('$.s');
    expect(formatPath([])).toBe('(the value itself)');
  });

  it('replaces NUL in message text and recognises Postgres refusing a value', () => {
    expect(storableText('a\0b')).toBe('a\uFFFDb');
    expect(storableText('half \ud83d')).toBe('half \uFFFD');
    expect(storableText('whole 😀')).toBe('whole 😀');
    expect(isUnstorableValueError({ code: '22P05' })).toBe(true);
    expect(isUnstorableValueError({ code: '23505' })).toBe(false);
    expect(isUnstorableValueError(undefined)).toBe(false);
  });
});
