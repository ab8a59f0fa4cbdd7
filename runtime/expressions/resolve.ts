import { NonRetryableError, type Json } from '@switchyard/sdk';
import { SandboxError } from '../sandbox/errors.js';
import type { ExpressionData, SandboxPool } from '../sandbox/pool.js';
import { lookupPath, NEEDS_SANDBOX, parsePath, PathError } from './path.js';
import { hasExpression, parseTemplate, type TemplatePart } from './template.js';

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
  // Hot path: written without per-call closures (tsx's keepNames wraps each in a defineProperty).
  const literal = options.literal ?? [];
  const templates = new Map<string, readonly TemplatePart[]>();
  scan(props, true, literal, templates);
  if (templates.size === 0) return props as Resolved<T>;

  const outcomes = new Map<string, Outcome>();
  const pending: string[] = [];
  for (const parts of templates.values()) {
    for (const part of parts) {
      if (part.kind !== 'expression' || outcomes.has(part.source)) continue;
      const outcome = fastPath(part.source, data);
      if (outcome) {
        outcomes.set(part.source, outcome);
      } else {
        outcomes.set(part.source, NOT_EVALUATED);
        pending.push(part.source);
      }
    }
  }
  if (pending.length > 0) await evaluateInSandbox(pending, data, sandbox, options.timeoutMs, outcomes);
  return build(props, true, literal, templates, outcomes) as Resolved<T>;
}

const NOT_EVALUATED: Outcome = { error: 'it was not evaluated' };

async function evaluateInSandbox(
  pending: string[],
  data: ExpressionData,
  sandbox: ExpressionSandbox,
  timeoutMs: number | undefined,
  outcomes: Map<string, Outcome>,
): Promise<void> {
  let results;
  try {
    results = await sandbox.evaluateMany({ expressions: pending, data, timeoutMs });
  } catch (error) {
    if (!(error instanceof SandboxError)) throw error;
    const culprit = error.expressionIndex === undefined ? undefined : pending[error.expressionIndex];
    throw new ExpressionError(culprit === undefined ? pending : [culprit], error.message, error);
  }
  for (let i = 0; i < results.length; i++) {
    const result = results[i]!;
    outcomes.set(pending[i]!, result.ok ? { value: result.value } : { error: result.error.message, cause: result.error });
  }
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

/** Collects every string holding an expression, with its parsed template. */
function scan(value: unknown, top: boolean, literal: readonly string[], found: Map<string, readonly TemplatePart[]>): void {
  if (typeof value === 'string') {
    if (!found.has(value) && hasExpression(value)) found.set(value, parseTemplate(value));
  } else if (Array.isArray(value)) {
    for (const item of value) scan(item, false, literal, found);
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      if (!(top && literal.includes(key))) scan(value[key], false, literal, found);
    }
  }
}

type Templates = ReadonlyMap<string, readonly TemplatePart[]>;

/** The resolved value; unchanged subtrees are returned as the same objects. */
function build(value: unknown, top: boolean, literal: readonly string[], templates: Templates, outcomes: ReadonlyMap<string, Outcome>): unknown {
  if (typeof value === 'string') {
    const parts = templates.get(value);
    return parts ? render(parts, outcomes) : value;
  }
  if (Array.isArray(value)) {
    let next: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const resolved = build(value[i], false, literal, templates, outcomes);
      if (resolved !== value[i]) {
        next ??= value.slice();
        next[i] = resolved;
      }
    }
    return next ?? value;
  }
  if (isPlainObject(value)) {
    let next: Record<string, unknown> | undefined;
    for (const key of Object.keys(value)) {
      if (top && literal.includes(key)) continue;
      const resolved = build(value[key], false, literal, templates, outcomes);
      if (resolved !== value[key]) {
        next ??= { ...value };
        next[key] = resolved;
      }
    }
    return next ?? value;
  }
  return value;
}

function valueOf(source: string, outcomes: ReadonlyMap<string, Outcome>): Json | undefined {
  const outcome = outcomes.get(source) ?? NOT_EVALUATED;
  if ('error' in outcome) throw new ExpressionError([source], outcome.error, outcome.cause);
  return outcome.value;
}

function render(parts: readonly TemplatePart[], outcomes: ReadonlyMap<string, Outcome>): Json {
  const only = parts[0];
  if (parts.length === 1 && only?.kind === 'expression') return valueOf(only.source, outcomes) ?? null;
  let out = '';
  for (const part of parts) out += part.kind === 'text' ? part.text : toText(valueOf(part.source, outcomes));
  return out;
}

function toText(value: Json | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
