import type { Json, JsonObject } from '@switchyard/sdk';
import { isJsonObject } from '@switchyard/sdk';

/** Segments that would reach `Object.prototype` through a plain object: never valid in a path. */
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * A dot path such as `customer.address.city`: segments of letters, digits, `_`, `-` or `$`, no empty
 * segments, none of `__proto__`/`prototype`/`constructor`.
 */
export const DOT_PATH_PATTERN = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;

/** Paths already found safe: a flow's field names come back on every run (bounded, never evicts). */
const knownSafe = new Set<string>();
const MAX_KNOWN_SAFE = 10_000;

export function isSafeDotPath(path: string): boolean {
  if (knownSafe.has(path)) return true;
  const safe = DOT_PATH_PATTERN.test(path) && !path.split('.').some((segment) => FORBIDDEN.has(segment));
  if (safe && knownSafe.size < MAX_KNOWN_SAFE) knownSafe.add(path);
  return safe;
}

/**
 * Sets `value` at `path` in `target`, creating objects on the way. A segment that meets a non-object
 * (a number, an array, null) replaces it with a fresh object: the later field wins, as in a form where
 * `a` then `a.b` is set. Objects on the way are copied, never mutated, so a shallow copy of the input can
 * be passed in without touching the input's nested objects.
 */
export function setPath(target: JsonObject, path: string, value: Json): void {
  if (!isSafeDotPath(path)) throw new Error(`invalid field path ${JSON.stringify(path)}`);
  if (!path.includes('.')) {
    target[path] = value;
    return;
  }
  const segments = path.split('.');
  const last = segments.pop() as string;
  let cursor = target;
  for (const segment of segments) {
    const existing = cursor[segment];
    const next: JsonObject = isJsonObject(existing) ? { ...existing } : {};
    cursor[segment] = next;
    cursor = next;
  }
  cursor[last] = value;
}
