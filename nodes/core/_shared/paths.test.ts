import { describe, expect, it } from 'vitest';
import type { JsonObject } from '@switchyard/sdk';
import { isSafeDotPath, setPath } from './paths.js';

describe('setPath', () => {
  it('creates nested objects along a dot path', () => {
    const target: JsonObject = {};
    setPath(target, 'customer.address.city', 'Pune');
    setPath(target, 'customer.name', 'Asha');
    expect(target).toEqual({ customer: { address: { city: 'Pune' }, name: 'Asha' } });
  });

  it('replaces a non-object on the way with an object', () => {
    const target: JsonObject = { a: 1 };
    setPath(target, 'a.b', 2);
    expect(target).toEqual({ a: { b: 2 } });
  });

  it('copies nested objects instead of mutating them', () => {
    const nested = { city: 'Pune' };
    const target: JsonObject = { address: nested };
    setPath(target, 'address.zip', '411001');
    expect(nested).toEqual({ city: 'Pune' });
    expect(target).toEqual({ address: { city: 'Pune', zip: '411001' } });
  });

  it('sets a top-level field, keeping what else the target has', () => {
    const target: JsonObject = { keep: true };
    setPath(target, 'name', 'Asha');
    setPath(target, 'name', 'Ravi');
    expect(target).toEqual({ keep: true, name: 'Ravi' });
  });

  it('refuses paths that reach the prototype, however often they are tried', () => {
    for (let i = 0; i < 3; i++) {
      expect(isSafeDotPath('ok.path')).toBe(true);
      expect(isSafeDotPath('__proto__')).toBe(false);
      expect(() => setPath({}, '__proto__', { polluted: true })).toThrow(/invalid field path/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses paths that reach the prototype', () => {
    expect(isSafeDotPath('a.__proto__.b')).toBe(false);
    expect(isSafeDotPath('constructor')).toBe(false);
    expect(isSafeDotPath('a..b')).toBe(false);
    expect(() => setPath({}, '__proto__.polluted', true)).toThrow(/invalid field path/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
