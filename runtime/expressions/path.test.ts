import { describe, expect, it } from 'vitest';
import type { ExpressionData } from '../sandbox/pool.js';
import { lookupPath, NEEDS_SANDBOX, parsePath } from './path.js';

const data: ExpressionData = {
  $json: { a: { b: [10, { c: 'deep' }] }, 'with space': 1, n: null, s: 'text', toString: 'own' },
  $trigger: { x: 1 },
  $node: { fetch: { json: { status: 200 } }, 'my-node': { json: [1, 2] } },
  $vars: { NAME: 'v' },
  $execution: { id: 'e1', flowId: 'f1', mode: 'manual', resumeUrl: 'http://127.0.0.1/hooks/resume/t' },
};
const get = (source: string) => {
  const path = parsePath(source);
  if (!path) throw new Error(`${source} is not a path`);
  return lookupPath(path, data);
};

describe('parsePath', () => {
  it('accepts plain property paths from the known roots', () => {
    expect(parsePath('$json')).toEqual({ root: '$json', keys: [] });
    expect(parsePath('$input.a')).toEqual({ root: '$json', keys: ['a'] });
    expect(parsePath('$json.a.b[1]["c"]')).toEqual({ root: '$json', keys: ['a', 'b', '1', 'c'] });
    expect(parsePath("$node['my-node'].json[0]")).toEqual({ root: '$node', keys: ['my-node', 'json', '0'] });
    expect(parsePath('$node.fetch.json.status')).toEqual({ root: '$node', keys: ['fetch', 'json', 'status'] });
    expect(parsePath('$vars.NAME')).toEqual({ root: '$vars', keys: ['NAME'] });
    expect(parsePath('$execution.id')).toEqual({ root: '$execution', keys: ['id'] });
    expect(parsePath('$trigger[ "x" ]')).toEqual({ root: '$trigger', keys: ['x'] });
  });

  it('leaves everything else to the sandbox', () => {
    for (const source of ['$json.a()', '$json.a + 1', '$json?.a', '$json[a]', '$json["a\\"b"]', '$json[007]', '$other.a',
      'json.a', '$json.__proto__', '$json["constructor"]', '$json.a.prototype', '$json.a.b.constructor', '`${$json}`', '$json.a;1']) {
      expect(parsePath(source), source).toBeNull();
    }
  });
});

describe('lookupPath', () => {
  it('reads own properties and array elements', () => {
    expect(get('$json.a.b[1].c')).toBe('deep');
    expect(get('$json["with space"]')).toBe(1);
    expect(get('$json.toString')).toBe('own');
    expect(get('$json.a.b.length')).toBe(2);
    expect(get("$node['my-node'].json")).toEqual([1, 2]);
    expect(get('$execution.flowId')).toBe('f1');
    expect(get('$json')).toBe(data.$json);
  });

  it('gives undefined for a missing last property and throws reading through a missing one', () => {
    expect(get('$json.missing')).toBeUndefined();
    expect(get('$json.a.b[5]')).toBeUndefined();
    expect(get('$vars.NOPE')).toBeUndefined();
    expect(() => get('$json.missing.c')).toThrow("Cannot read properties of undefined (reading 'c')");
    expect(() => get('$json.n.x')).toThrow("Cannot read properties of null (reading 'x')");
  });

  it('hands inherited members and properties of primitives to the sandbox', () => {
    expect(get('$json.a.hasOwnProperty')).toBe(NEEDS_SANDBOX);
    expect(get('$json.s.length')).toBe(NEEDS_SANDBOX);
    expect(get('$json.a.b.map')).toBe(NEEDS_SANDBOX);
  });
});
