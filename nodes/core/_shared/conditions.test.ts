import { describe, expect, it } from 'vitest';
import { NonRetryableError, type Json } from '@switchyard/sdk';
import { compileRegex, evaluateCondition, evaluateConditions, looselyEqual, type Operator } from './conditions.js';

const check = (left: Json | undefined, operator: Operator, right?: Json) => evaluateCondition({ left, operator, right });

describe('looselyEqual', () => {
  it('compares numeric strings numerically', () => {
    expect(looselyEqual('5', 5)).toBe(true);
    expect(looselyEqual(' 5.0 ', '5')).toBe(true);
    expect(looselyEqual('1e3', 1000)).toBe(true);
    expect(looselyEqual('5', '6')).toBe(false);
  });

  it('does not treat empty or hex strings as numbers', () => {
    expect(looselyEqual('', 0)).toBe(false);
    expect(looselyEqual('0x1f', 31)).toBe(false);
  });

  it('reads "true"/"false" as booleans only against a boolean', () => {
    expect(looselyEqual('TRUE', true)).toBe(true);
    expect(looselyEqual(false, 'false')).toBe(true);
    expect(looselyEqual('yes', true)).toBe(false);
    expect(looselyEqual(1, true)).toBe(false);
  });

  it('treats null and a missing value as equal to each other only', () => {
    expect(looselyEqual(null, undefined)).toBe(true);
    expect(looselyEqual(null, '')).toBe(false);
    expect(looselyEqual(undefined, 0)).toBe(false);
  });

  it('compares objects and arrays structurally, ignoring key order', () => {
    expect(looselyEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(looselyEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(looselyEqual([1, 2], [2, 1])).toBe(false);
  });
});

describe('operators', () => {
  it('equals / notEquals', () => {
    expect(check('paid', 'equals', 'paid')).toBe(true);
    expect(check('Paid', 'equals', 'paid')).toBe(false);
    expect(check('paid', 'notEquals', 'open')).toBe(true);
  });

  it('contains works on text, arrays and object keys', () => {
    expect(check('refund now please', 'contains', 'refund')).toBe(true);
    expect(check(['a', 2], 'contains', '2')).toBe(true);
    expect(check({ vip: true }, 'contains', 'vip')).toBe(true);
    expect(check(12345, 'contains', 234)).toBe(true);
    expect(check(null, 'contains', 'x')).toBe(false);
    expect(check(null, 'notContains', 'x')).toBe(true);
    expect(check('abc', 'notContains', 'b')).toBe(false);
  });

  it('startsWith / endsWith read numbers as text and never match objects', () => {
    expect(check('+4917', 'startsWith', '+49')).toBe(true);
    expect(check(2024, 'startsWith', 20)).toBe(true);
    expect(check('report.pdf', 'endsWith', '.pdf')).toBe(true);
    expect(check({ a: 1 }, 'startsWith', '{')).toBe(false);
  });

  it('orders numeric strings as numbers, ISO dates as instants, other text by code point', () => {
    expect(check('10', 'gt', '9')).toBe(true);
    expect(check(3, 'gte', '3')).toBe(true);
    expect(check('2024-05-01T00:00:00+02:00', 'lt', '2024-04-30T23:00:00Z')).toBe(true);
    expect(check('b', 'gt', 'a')).toBe(true);
    expect(check(5, 'lte', 5)).toBe(true);
  });

  it('orders nothing it cannot compare', () => {
    expect(check({ a: 1 }, 'gt', 0)).toBe(false);
    expect(check({ a: 1 }, 'lte', 0)).toBe(false);
    expect(check(undefined, 'lt', 1)).toBe(false);
  });

  it('isEmpty / isNotEmpty', () => {
    for (const empty of [undefined, null, '', [], {}] as (Json | undefined)[]) expect(check(empty, 'isEmpty')).toBe(true);
    for (const full of [0, false, ' ', [0], { a: null }] as Json[]) expect(check(full, 'isNotEmpty')).toBe(true);
  });

  it('isTrue / isFalse accept booleans and their text only', () => {
    expect(check(true, 'isTrue')).toBe(true);
    expect(check(' True ', 'isTrue')).toBe(true);
    expect(check(1, 'isTrue')).toBe(false);
    expect(check('false', 'isFalse')).toBe(true);
    expect(check(null, 'isFalse')).toBe(false);
  });

  it('exists is false only for missing and null', () => {
    expect(check(0, 'exists')).toBe(true);
    expect(check('', 'exists')).toBe(true);
    expect(check(null, 'exists')).toBe(false);
    expect(check(undefined, 'exists')).toBe(false);
  });

  it('regex accepts a bare pattern or /pattern/flags', () => {
    expect(check('Order #123', 'regex', '#\\d+')).toBe(true);
    expect(check('HELLO', 'regex', '/hello/i')).toBe(true);
    expect(check('HELLO', 'regex', 'hello')).toBe(false);
    expect(check(404, 'regex', '^4\\d\\d$')).toBe(true);
    expect(check(undefined, 'regex', '.*')).toBe(false);
  });

  it('an invalid regex is a non-retryable error naming the pattern', () => {
    expect(() => check('x', 'regex', '(')).toThrow(NonRetryableError);
    expect(() => check('x', 'regex', '(')).toThrow(/invalid pattern "\("/);
    expect(() => compileRegex({ a: 1 })).toThrow(/must be a string/);
  });
});

describe('evaluateConditions', () => {
  const yes = { left: 1, operator: 'equals' as const, right: 1 };
  const no = { left: 1, operator: 'equals' as const, right: 2 };

  it('all needs every condition, any needs one', () => {
    expect(evaluateConditions([yes, no], 'all')).toBe(false);
    expect(evaluateConditions([yes, yes], 'all')).toBe(true);
    expect(evaluateConditions([no, yes], 'any')).toBe(true);
    expect(evaluateConditions([no, no], 'any')).toBe(false);
  });

  it('treats an empty list as logic does', () => {
    expect(evaluateConditions([], 'all')).toBe(true);
    expect(evaluateConditions([], 'any')).toBe(false);
  });
});
