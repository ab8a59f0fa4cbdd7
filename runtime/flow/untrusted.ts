import { AppError } from '../errors.js';

/**
 * Limits for documents that come from outside the workspace: template files, flow files and n8n
 * workflow exports. They are checked before any schema parsing so that a hostile file costs
 * bounded work and can never reach an object's prototype.
 */
export interface UntrustedJsonLimits {
  /** Largest accepted document, in bytes of its JSON text. Default: 5 MiB. */
  maxBytes?: number;
  /** Deepest accepted nesting of objects and arrays. Default: 64. */
  maxDepth?: number;
  /** Most values (objects, arrays and scalars together) in one document. Default: 500 000. */
  maxValues?: number;
}

const DEFAULTS: Required<UntrustedJsonLimits> = { maxBytes: 5 * 1024 * 1024, maxDepth: 64, maxValues: 500_000 };

/** Keys that could reach or shadow an object's prototype when a document is later merged or spread. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** An imported document that is not acceptable; the message names what and where. Never retried. */
export class UntrustedDocumentError extends AppError {
  override name = 'UntrustedDocumentError';
  constructor(message: string, path?: (string | number)[]) {
    super(400, 'invalid_document', message, path && path.length > 0 ? [{ path }] : undefined);
  }
}

const where = (path: (string | number)[]) =>
  path.length === 0 ? 'the document' : path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');

/**
 * Parses JSON text from an untrusted source: refuses text over the size limit before parsing,
 * text that is not JSON (naming the position when the engine reports one), and then anything
 * {@link assertSafeJsonValue} refuses.
 */
export function parseUntrustedJson(text: string | Uint8Array, limits: UntrustedJsonLimits = {}): unknown {
  const max = limits.maxBytes ?? DEFAULTS.maxBytes;
  const bytes = typeof text === 'string' ? Buffer.byteLength(text) : text.byteLength;
  if (bytes > max) throw new UntrustedDocumentError(`the document is ${bytes} bytes; the limit is ${max} bytes`);
  const source = typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^JSON\.parse: /, '') : 'unreadable';
    throw new UntrustedDocumentError(`the document is not JSON: ${detail}`);
  }
  assertSafeJsonValue(value, limits);
  return value;
}

/**
 * Checks an already-parsed value (e.g. a request body) for the nesting and size limits and for
 * prototype keys. Iterative, so a deeply nested value cannot overflow the stack while checking.
 */
export function assertSafeJsonValue(value: unknown, limits: UntrustedJsonLimits = {}): void {
  const maxDepth = limits.maxDepth ?? DEFAULTS.maxDepth;
  const maxValues = limits.maxValues ?? DEFAULTS.maxValues;
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  let seen = 0;
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (++seen > maxValues) throw new UntrustedDocumentError(`the document has more than ${maxValues} values`);
    if (current === null || typeof current !== 'object') continue;
    if (path.length >= maxDepth) {
      throw new UntrustedDocumentError(`the document nests deeper than ${maxDepth} levels at ${where(path)}`, path);
    }
    if (Array.isArray(current)) {
      current.forEach((item, index) => stack.push({ value: item, path: [...path, index] }));
      continue;
    }
    for (const key of Object.keys(current)) {
      if (FORBIDDEN_KEYS.has(key)) {
        throw new UntrustedDocumentError(`the key "${key}" is not allowed (at ${where([...path, key])})`, [...path, key]);
      }
      stack.push({ value: (current as { [k: string]: unknown })[key], path: [...path, key] });
    }
  }
}
