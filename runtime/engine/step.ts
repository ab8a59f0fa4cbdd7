import {
  LoopRequest, NodeError, NonRetryableError, WaitRequest, isRetryable, outputPorts,
  type CredentialValue, type Json, type NodeContext, type ResumeEvent,
} from '@switchyard/sdk';
import type { z } from 'zod';
import type { Cancellation } from './cancellation.js';
import { findUnstorable, formatPath, storableText } from '../db/storable.js';
import { resolveProps } from '../expressions/index.js';
import type { ExpressionData } from '../sandbox/pool.js';
import type { PlannedNode } from './plan.js';
import type { StepRow } from './step-store.js';
import { parseResolvedProps } from './json-props.js';
import { propsWithSchemaDefaults } from './prop-defaults.js';

/** What one step came to. */
export type StepOutcome =
  | { kind: 'outputs'; outputs: Record<string, Json> }
  | { kind: 'loop'; items: Json[]; port: string; concurrency: number }
  | { kind: 'wait'; spec: WaitRequest['spec'] }
  | { kind: 'failed'; error: StepError };

export interface StepError {
  message: string;
  code: string;
  nodeId: string;
  retryable: boolean;
  /** JSON detail the node attached (e.g. the provider's response body); redacted before it is recorded. */
  details?: Json;
}

/** Recorded output of a loop step; `$loop` cannot clash with a port name (ports are slugs). */
export interface LoopRecord {
  $loop: { items: Json[]; port: string; concurrency: number };
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Runs `run` once for one attempt: props resolved and parsed, a context built, a timeout applied. */
export async function attemptStep(args: {
  planned: PlannedNode;
  input: Json;
  data: ExpressionData;
  ctx: Omit<NodeContext, 'credentials' | 'signal'> & { credentials: Record<string, CredentialValue | undefined> };
  /** The execution's cancellation: the step stops (CancelledError) when it flips. */
  cancel: Cancellation;
  sandbox: Parameters<typeof resolveProps>[2];
}): Promise<StepOutcome> {
  const { planned, input, data, cancel } = args;
  const { node, definition } = planned;
  const timeoutMs = node.settings?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Created only if the node reads `ctx.signal` (HTTP does; Set, If, Code… don't): an
  // AbortController per step was ~2.5% of worker CPU.
  let controller: AbortController | undefined;
  let rejectCancelled: ((error: Error) => void) | undefined;
  const stopListening = cancel.onAbort(() => {
    controller?.abort(new CancelledError());
    rejectCancelled?.(new CancelledError());
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const props = await finalProps(planned, data, args.sandbox);
    const ctx = Object.defineProperty({ ...args.ctx }, 'signal', {
      enumerable: true,
      get: () => (controller ??= new AbortController()).signal,
    }) as NodeContext;
    if (cancel.aborted) throw new CancelledError();
    const returned = definition.run(ctx, input, props);
    // Only an answer still to come can time out or be cancelled: a node that answered synchronously
    // (Set, If, Respond, the triggers…) skips the timer and the race.
    const result = isPromiseLike(returned) ? await Promise.race([
      returned,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller?.abort(new Error('timeout'));
          reject(new NodeError(`step timed out after ${timeoutMs} ms`, { code: 'timeout' }));
        }, timeoutMs);
      }),
      new Promise<never>((_, reject) => {
        rejectCancelled = reject;
        if (cancel.aborted) reject(new CancelledError());
      }),
    ]) : returned;
    if (result instanceof WaitRequest) return { kind: 'wait', spec: result.spec };
    if (result instanceof LoopRequest) {
      if (!Array.isArray(result.items)) throw new NonRetryableError('loop items must be an array', { code: 'invalid_output' });
      assertOutputStorable(result.items, 'loop items');
      return { kind: 'loop', items: result.items, port: result.port, concurrency: Math.max(1, result.concurrency) };
    }
    return { kind: 'outputs', outputs: checkOutputs(planned, props, result) };
  } catch (error) {
    if (error instanceof CancelledError || cancel.aborted) throw new CancelledError();
    return { kind: 'failed', error: toStepError(error, node.id) };
  } finally {
    if (timer) clearTimeout(timer);
    stopListening();
  }
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Props as `run` gets them: expressions resolved, then parsed by the node's schema. Props with no
 * expression are the same for every run of this flow version, so their parse (zod was ~4% of worker
 * CPU) is done once and the frozen result reused; nodes must treat props as read-only.
 */
async function finalProps(planned: PlannedNode, data: ExpressionData, sandbox: Parameters<typeof resolveProps>[2]): Promise<unknown> {
  if (planned.staticProps !== undefined) return planned.staticProps;
  const base = propsWithDefaults(planned);
  const resolved = await resolveProps(base, data, sandbox, { literal: planned.definition.literalProps });
  const parsed = parseResolvedProps(planned.definition.props as z.ZodType, resolved);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(props)'}: ${i.message}`).join('; ');
    throw new NonRetryableError(`invalid props after expressions: ${problems}`, { code: 'invalid_props' });
  }
  // resolveProps returns its input unchanged when there is no expression anywhere in it.
  if (resolved === base) planned.staticProps = deepFreeze(parsed.data);
  return parsed.data;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * The node's props with schema defaults filled in BEFORE expressions resolve, so a default such as
 * `items: '{{ $json.items }}'` is evaluated like a typed-in value. Static per flow version, so it is
 * computed once per planned node (see `propsWithSchemaDefaults`).
 */
function propsWithDefaults(planned: PlannedNode): unknown {
  if (planned.propsWithDefaults === undefined) {
    planned.propsWithDefaults = propsWithSchemaDefaults(planned.definition.props as z.ZodType, planned.node.props);
  }
  return planned.propsWithDefaults;
}

/** Only declared ports may carry messages, and messages must be JSON. */
function checkOutputs(planned: PlannedNode, props: unknown, result: Record<string, Json | undefined>): Record<string, Json> {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    throw new NonRetryableError('a node must return an object of messages by port, e.g. { main: {...} }', { code: 'invalid_output' });
  }
  const allowed = new Set(outputPorts(planned.definition, props));
  const outputs: Record<string, Json> = {};
  for (const [port, message] of Object.entries(result)) {
    if (message === undefined) continue;
    if (!allowed.has(port)) {
      throw new NonRetryableError(`node returned a message on unknown port "${port}" (ports: ${[...allowed].join(', ') || 'none'})`, { code: 'invalid_output' });
    }
    assertOutputStorable(message, `the message on port "${port}"`);
    outputs[port] = message;
  }
  return outputs;
}

/**
 * Every output is recorded in Postgres, which refuses NUL characters and extreme nesting: such an
 * output fails its step (naming where) instead of the execution's commit.
 */
function assertOutputStorable(value: Json, what: string): void {
  const found = findUnstorable(value);
  if (found) throw new NonRetryableError(`${what} cannot be recorded: ${formatPath(found.path, '$')} ${found.message}`, { code: 'invalid_output' });
}

export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor() {
    super('execution cancelled');
  }
}

export function toStepError(error: unknown, nodeId: string): StepError {
  if (error instanceof NodeError) {
    const details = toJson(error.details);
    return { message: recordableMessage(error.message), code: recordableMessage(error.code), nodeId, retryable: isRetryable(error), ...(details !== undefined ? { details } : {}) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: recordableMessage(message), code: 'node_error', nodeId, retryable: true };
}

/** Longest error message kept; the rest is cut (a message is recorded, shown and sent in live events). */
const MAX_MESSAGE_CHARS = 10_000;

/**
 * A message as it is recorded: cut to {@link MAX_MESSAGE_CHARS}, and with what Postgres cannot
 * store replaced (a NUL in a provider's error text must not fail the commit that records it).
 */
function recordableMessage(message: string): string {
  const cut = message.length > MAX_MESSAGE_CHARS
    ? `${message.slice(0, MAX_MESSAGE_CHARS)}… (${message.length - MAX_MESSAGE_CHARS} more characters)`
    : message;
  return storableText(cut);
}

/** The details as JSON, or none when they are not JSON or could not be recorded. */
function toJson(value: unknown): Json | undefined {
  if (value === undefined) return undefined;
  try {
    const json = JSON.parse(JSON.stringify(value)) as Json;
    return findUnstorable(json) ? undefined : json;
  } catch {
    return undefined;
  }
}

/** Exponential (×2 per attempt) or fixed backoff with ±20% jitter so retries of many executions spread out. */
export function backoffDelay(retry: { backoff: 'fixed' | 'exponential'; delayMs: number }, attempt: number): number {
  const base = retry.backoff === 'fixed' ? retry.delayMs : retry.delayMs * 2 ** (attempt - 1);
  const jitter = base * 0.2 * (Math.random() * 2 - 1);
  return Math.max(0, Math.round(base + jitter));
}

/** The resume event for a parked step, if what it waits for has happened. */
export function resumeEventFor(
  wait: { until: Date | null; resolution: ResumeResolution | null } | undefined,
  now: number,
): ResumeEvent | undefined {
  if (!wait) return undefined;
  if (wait.resolution) {
    if (wait.resolution.kind === 'resume') return { kind: 'resume', payload: wait.resolution.payload ?? null };
    if (wait.resolution.kind === 'event') {
      return { kind: 'event', name: wait.resolution.name ?? '', payload: wait.resolution.payload ?? null, ...(wait.resolution.error ? { error: wait.resolution.error } : {}) };
    }
    return { kind: 'timer' };
  }
  if (wait.until && wait.until.getTime() <= now) return { kind: 'timer' };
  return undefined;
}

export interface ResumeResolution {
  kind: 'timer' | 'resume' | 'event';
  name?: string;
  payload?: Json;
  error?: { message: string; code?: string };
}

export function recordedOutcome(row: StepRow): StepOutcome | undefined {
  if (row.status !== 'succeeded' || !row.output) return undefined;
  const loop = (row.output as Partial<LoopRecord>).$loop;
  if (loop) return { kind: 'loop', items: loop.items, port: loop.port, concurrency: loop.concurrency };
  return { kind: 'outputs', outputs: row.output };
}
