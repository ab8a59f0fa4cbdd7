import { NonRetryableError, type Json } from '@switchyard/sdk';
import { SandboxError } from '../sandbox/errors.js';
import type { ExpressionData, SandboxPool } from '../sandbox/pool.js';
import { lookupPath, NEEDS_SANDBOX, parsePath, PathError } from './path.js';
import { hasExpression, parseTemplate } from './template.js';

/** An expression failed (syntax error, threw, timed out, not JSON). The executor adds the node id. */
export class ExpressionError extends NonRetryableError {
  override name = 'ExpressionError';
  /** The failing expression(s), as written between the braces. */
  readonly expressions: string[];

  constructor(expressions: string[], reason: string, cause?: unknown) {
    const quoted = expressions.map((e) => `{{ ${e} }}`).join(', ');
    super(`${expressions.length > 1 ? 'expressions' : 'expression'} ${quoted} failed: ${reason}`, {
      code: 'expression_error', cause, details: { expressions },
    });
    this.expressions = expressions;
  }
}

/** What resolveProps needs of the sandbox pool. */
export type ExpressionSandbox = Pick<SandboxPool, 'evaluateMany'>;

export interface ResolveOptions {
  /** Top-level prop names never evaluated (code, cron): kept exactly as written. Default: none. */
  literal?: readonly string[];
  /** CPU limit for this call's sandboxed expressions, all together. Default: the pool's (1000 ms). */
  timeoutMs?: number;
}

/** Props after resolution: every string may have become any JSON value. */
export type Resolved<T> = T extends string
  ? Json
  : T extends readonly (infer U)[]
    ? Resolved<U>[]
    : T extends object
      ? { [K in keyof T]: Resolved<T[K]> }
      : T;

type Outcome = { value: Json | undefined } | { error: string; cause?: unknown };

/**
 * Evaluates every `{{ … }}` in the string props, deep in objects and arrays, against `data`.
 * - A string that is exactly one `{{ expr }}` (nothing around it, not even spaces) takes the
 *   result's type: number, object, array…; undefined becomes null.
 * - A mixed string concatenates: objects and arrays as JSON, null/undefined as ''.
 * - Plain property paths are read without the sandbox (see path.ts); a missing last property is
 *   null, reading through a missing one fails as in JavaScript. The rest go to the sandbox in one
 *   batch. Identical expressions in one call are evaluated once.
 * - Results of the fast path share structure with `data` (no copies): treat both as immutable.
 * - Returns `props` itself when it holds no expression.
 * @throws ExpressionError for the first failing expression in document order.
 */
export async function resolveProps<T>(
  props: T,
  data: ExpressionData,
  sandbox: ExpressionSandbox,
  options: ResolveOptions = {},
): Promise<Resolved<T>> {
  const literal = new Set(options.literal ?? []);
  const outcomes = new Map<string, Outcome>();
  const pending: string[] = [];

  scan(props, true, literal, (text) => {
    for (const part of parseTemplate(text)) {
      if (part.kind !== 'expression' || outcomes.has(part.source)) continue;
      const outcome = fastPath(part.source, data);
      if (outcome) outcomes.set(part.source, outcome);
      else {
        outcomes.set(part.source, { error: 'not evaluated' });
        pending.push(part.source);
      }
    }
  });
  if (outcomes.size === 0) return props as Resolved<T>;

  if (pending.length > 0) {
    let results;
    try {
      results = await sandbox.evaluateMany({ expressions: pending, data, timeoutMs: options.timeoutMs });
    } catch (error) {
      if (!(error instanceof SandboxError)) throw error;
      const culprit = error.expressionIndex === undefined ? undefined : pending[error.expressionIndex];
      throw new ExpressionError(culprit === undefined ? pending : [culprit], error.message, error);
    }
    results.forEach((result, index) => {
      outcomes.set(pending[index]!, result.ok ? { value: result.value } : { error: result.error.message, cause: result.error });
    });
  }
  return build(props, true, literal, outcomes) as Resolved<T>;
}

function fastPath(source: string, data: ExpressionData): Outcome | undefined {
  const path = parsePath(source);
  if (!path) return undefined;
  try {
    const value = lookupPath(path, data);
    return value === NEEDS_SANDBOX ? undefined : { value };
  } catch (error) {
    if (error instanceof PathError) return { error: error.message };
    throw error;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function scan(value: unknown, top: boolean, literal: ReadonlySet<string>, visit: (text: string) => void): void {
  if (typeof value === 'string') {
    if (hasExpression(value)) visit(value);
  } else if (Array.isArray(value)) {
    for (const item of value) scan(item, false, literal, visit);
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      if (!(top && literal.has(key))) scan(value[key], false, literal, visit);
    }
  }
}

/** The resolved value; unchanged subtrees are returned as the same objects. */
function build(value: unknown, top: boolean, literal: ReadonlySet<string>, outcomes: ReadonlyMap<string, Outcome>): unknown {
  if (typeof value === 'string') return hasExpression(value) ? render(value, outcomes) : value;
  if (Array.isArray(value)) {
    let changed = false;
    const next = value.map((item) => {
      const resolved = build(item, false, literal, outcomes);
      changed ||= resolved !== item;
      return resolved;
    });
    return changed ? next : value;
  }
  if (isPlainObject(value)) {
    let next: Record<string, unknown> | undefined;
    for (const key of Object.keys(value)) {
      if (top && literal.has(key)) continue;
      const resolved = build(value[key], false, literal, outcomes);
      if (resolved !== value[key]) {
        next ??= { ...value };
        next[key] = resolved;
      }
    }
    return next ?? value;
  }
  return value;
}

function render(text: string, outcomes: ReadonlyMap<string, Outcome>): Json {
  const parts = parseTemplate(text);
  const valueOf = (source: string): Json | undefined => {
    const outcome = outcomes.get(source);
    if (!outcome) throw new ExpressionError([source], 'it was not evaluated');
    if ('error' in outcome) throw new ExpressionError([source], outcome.error, outcome.cause);
    return outcome.value;
  };
  const only = parts[0];
  if (parts.length === 1 && only?.kind === 'expression') return valueOf(only.source) ?? null;
  let out = '';
  for (const part of parts) out += part.kind === 'text' ? part.text : toText(valueOf(part.source));
  return out;
}

function toText(value: Json | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
