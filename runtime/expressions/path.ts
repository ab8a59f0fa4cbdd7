import type { Json } from '@switchyard/sdk';
import type { ExpressionData } from '../sandbox/pool.js';

/**
 * Fast path: most expressions are plain property paths (`$json.a.b`, `$json["a"][0]`,
 * `$node["id"].json.x`, `$vars.NAME`). These are looked up here, without the sandbox, with the
 * same result JavaScript would give:
 * - a missing last property is `undefined`, which the caller turns into null;
 * - reading a property of undefined/null fails with V8's own message
 *   ("Cannot read properties of undefined (reading 'c')").
 * Only own properties of plain objects and array elements (and an array's `length`) are read.
 * Anything else — `__proto__`, `constructor`, `prototype`, names on Object.prototype or Array.prototype,
 * properties of strings or numbers, calls, operators — is left to the sandbox.
 */

/** Roots of a path; `$input` is `$json`. */
const ROOTS = new Set(['$json', '$input', '$trigger', '$node', '$vars', '$execution']);
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const INDEX = /^(?:0|[1-9]\d*)$/;
const PATH = /^(\$[A-Za-z]+)((?:\s*(?:\.\s*[A-Za-z_$][\w$]*|\[\s*(?:"[^"\\]*"|'[^'\\]*'|\d+)\s*\]))*)$/;
const SEGMENT = /\.\s*([A-Za-z_$][\w$]*)|\[\s*(?:"([^"\\]*)"|'([^'\\]*)'|(\d+))\s*\]/g;

export interface PropertyPath {
  root: keyof ExpressionData;
  keys: string[];
}

/** Returned by {@link lookupPath} when the data makes the path something for the sandbox to answer. */
export const NEEDS_SANDBOX: unique symbol = Symbol('needs sandbox');

/** Thrown for a property read of undefined/null, with the message JavaScript would give. */
export class PathError extends Error {
  override name = 'PathError';
}

const cache = new Map<string, PropertyPath | null>();
const CACHE_LIMIT = 2000;

/** The path an expression is, or null when it is anything else. */
export function parsePath(source: string): PropertyPath | null {
  const hit = cache.get(source);
  if (hit !== undefined) return hit;
  const path = parse(source);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(source, path);
  return path;
}

function parse(source: string): PropertyPath | null {
  const match = PATH.exec(source);
  if (!match || !ROOTS.has(match[1]!)) return null;
  const root = (match[1] === '$input' ? '$json' : match[1]) as keyof ExpressionData;
  const keys: string[] = [];
  for (const segment of (match[2] ?? '').matchAll(SEGMENT)) {
    const key = segment[1] ?? segment[2] ?? segment[3] ?? segment[4] ?? '';
    if (FORBIDDEN.has(key)) return null;
    // `[007]` is the property "7" in JavaScript; keep the fast path to canonical spellings.
    if (segment[4] !== undefined && !INDEX.test(key)) return null;
    keys.push(key);
  }
  return { root, keys };
}

/** The value at a path, `undefined` when the last property is missing, or {@link NEEDS_SANDBOX}. */
export function lookupPath(path: PropertyPath, data: ExpressionData): Json | undefined | typeof NEEDS_SANDBOX {
  let value: unknown = data[path.root];
  for (const key of path.keys) {
    if (value === undefined || value === null) {
      throw new PathError(`Cannot read properties of ${value === null ? 'null' : 'undefined'} (reading '${key}')`);
    }
    if (Array.isArray(value)) {
      if (INDEX.test(key)) value = value[Number(key)];
      else if (key === 'length') value = value.length;
      else if (key in Array.prototype) return NEEDS_SANDBOX;
      else value = undefined;
    } else if (typeof value === 'object' && isPlain(value)) {
      if (Object.prototype.hasOwnProperty.call(value, key)) value = (value as Record<string, unknown>)[key];
      else if (key in Object.prototype) return NEEDS_SANDBOX;
      else value = undefined;
    } else {
      return NEEDS_SANDBOX;
    }
  }
  return value as Json | undefined;
}

function isPlain(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
