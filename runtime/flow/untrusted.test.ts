import { describe, expect, it } from 'vitest';
import { assertSafeJsonValue, parseUntrustedJson, UntrustedDocumentError } from './untrusted.js';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UntrustedDocumentError);
    const e = error as UntrustedDocumentError;
    expect(e.status).toBe(400);
    expect(e.code).toBe('invalid_document');
    return e.message;
  }
  throw new Error('expected the document to be refused');
};

describe('parseUntrustedJson', () => {
  it('returns the parsed value of an acceptable document', () => {
    expect(parseUntrustedJson('{"name":"Orders","nodes":[{"id":"a"}]}')).toEqual({ name: 'Orders', nodes: [{ id: 'a' }] });
    expect(parseUntrustedJson(Buffer.from('[1,2,{"x":null}]'))).toEqual([1, 2, { x: null }]);
  });

  it('refuses text that is not JSON, saying so', () => {
    expect(refusal(() => parseUntrustedJson('{"nodes": [}'))).toMatch(/^the document is not JSON/);
    expect(refusal(() => parseUntrustedJson(''))).toMatch(/not JSON/);
  });

  it('refuses a document over the size limit before parsing it, naming both sizes', () => {
    const text = JSON.stringify({ blob: 'x'.repeat(2000) });
    expect(refusal(() => parseUntrustedJson(text, { maxBytes: 1000 }))).toBe(`the document is ${text.length} bytes; the limit is 1000 bytes`);
  });

  it('refuses nesting past the limit and names where, without overflowing the stack on extreme depth', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    // If the engine's parser gives up on such depth itself, that is still a clean 400.
    expect(refusal(() => parseUntrustedJson(deep))).toMatch(/nests deeper than 64 levels at \[0\]|not JSON/);
    const shallow = { a: { b: { c: { d: 1 } } } };
    expect(refusal(() => assertSafeJsonValue(shallow, { maxDepth: 3 }))).toBe('the document nests deeper than 3 levels at a.b.c');
    expect(() => assertSafeJsonValue(shallow, { maxDepth: 4 })).not.toThrow();
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s anywhere, naming its path', (key) => {
    const text = `{"nodes":[{"id":"a","props":{"${key}":{"polluted":true}}}]}`;
    expect(refusal(() => parseUntrustedJson(text))).toBe(`the key "${key}" is not allowed (at nodes[0].props.${key})`);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('refuses a document with more values than allowed', () => {
    expect(refusal(() => assertSafeJsonValue(Array.from({ length: 50 }, (_, i) => i), { maxValues: 20 }))).toBe(
      'the document has more than 20 values',
    );
  });
});
