/**
 * What Postgres refuses to store, found before it is sent: `text` and `jsonb` cannot hold the NUL
 * character (U+0000), `jsonb` refuses a lone UTF-16 surrogate, and `jsonb` is parsed recursively, so
 * a deeply nested value fails the whole statement ("stack depth limit exceeded"). Inbound requests
 * and node outputs are checked here, so such a value gets a 400 or a failed step naming where it
 * is, instead of failing a commit.
 */

import { AppError } from '../errors.js';

/** How deep a stored JSON value may nest (objects and arrays); deeper is refused. */
export const MAX_STORED_DEPTH = 128;

export interface UnstorableValue {
  /** Where in the value, e.g. `["items", 0, "name"]`; empty for the value itself. */
  path: (string | number)[];
  message: string;
}

const NUL_MESSAGE = 'contains the NUL character (\\u0000), which cannot be stored';
const SURROGATE_MESSAGE = 'contains an unpaired UTF-16 surrogate (e.g. \\ud83d alone), which is not valid Unicode and cannot be stored';

/** Why Postgres would refuse this text, if it would. */
function textProblem(text: string): string | undefined {
  if (text.includes('\0')) return NUL_MESSAGE;
  // isWellFormed is native and cheap; a lone surrogate has no UTF-8 form, so jsonb refuses its escape.
  if (!text.isWellFormed()) return SURROGATE_MESSAGE;
  return undefined;
}

/**
 * The first part of `value` Postgres could not store, or undefined when all of it can be.
 * Walks at most `maxDepth` levels, so a hostile value cannot exhaust the stack here either.
 * @param maxDepth Nesting allowed. Default: {@link MAX_STORED_DEPTH}.
 */
export function findUnstorable(value: unknown, maxDepth = MAX_STORED_DEPTH): UnstorableValue | undefined {
  const path: (string | number)[] = [];
  const found = visit(value, 0, maxDepth, path);
  return found === undefined ? undefined : { path: [...path], message: found };
}

function visit(value: unknown, depth: number, maxDepth: number, path: (string | number)[]): string | undefined {
  if (typeof value === 'string') return textProblem(value);
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth >= maxDepth) return `nests deeper than ${maxDepth} levels`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      const found = visit(value[i], depth + 1, maxDepth, path);
      if (found !== undefined) return found;
      path.pop();
    }
    return undefined;
  }
  for (const key in value) {
    path.push(key);
    const keyProblem = textProblem(key);
    if (keyProblem !== undefined) return `has a key that ${keyProblem}`;
    const found = visit((value as Record<string, unknown>)[key], depth + 1, maxDepth, path);
    if (found !== undefined) return found;
    path.pop();
  }
  return undefined;
}

/**
 * Throws a 400 (`validation_failed`) naming where `value` cannot be stored, e.g. "body.a contains the
 * NUL character…". `root` names the value in the message and the detail's path.
 */
export function assertStorable(value: unknown, root: string): void {
  const found = findUnstorable(value);
  if (!found) return;
  const path = [root, ...found.path];
  throw new AppError(400, 'validation_failed', `${formatPath(path)} ${found.message}`, [{ path, message: found.message }]);
}

/** `["items", 0, "name"]` → `items[0].name` (as the editor and error messages show paths). */
export function formatPath(path: readonly (string | number)[], root = ''): string {
  let text = root;
  for (const part of path) {
    text += typeof part === 'number' ? `[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? `${text ? '.' : ''}${part}` : `[${JSON.stringify(part)}]`;
  }
  return text || '(the value itself)';
}

/** Text Postgres can store: NUL characters and lone surrogates become U+FFFD (for messages, where losing one is fine). */
export function storableText(text: string): string {
  return textProblem(text) === undefined ? text : text.replaceAll('\0', '\uFFFD').toWellFormed();
}

/**
 * SQLSTATEs Postgres answers when a value itself cannot be stored: 22P05 (`\u0000` in jsonb),
 * 22021 (a NUL byte in text), 54001 (nesting past the stack limit). The checks above run first;
 * this is the net for a value that reached Postgres another way.
 */
const UNSTORABLE_SQLSTATES = new Set(['22P05', '22021', '54001']);

export function isUnstorableValueError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && UNSTORABLE_SQLSTATES.has(String((error as { code?: unknown }).code));
}
