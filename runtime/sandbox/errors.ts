import { NonRetryableError } from '@switchyard/sdk';

/**
 * Why a sandbox call failed:
 * - `sandbox_timeout`: ran past its CPU limit, never answered, or returned a promise that can never settle;
 * - `sandbox_memory`: the isolate hit its heap limit (the host started a fresh one);
 * - `sandbox_crashed`: the host process died while the call was in it (the pool started a new host);
 * - `code_error`: the user's code threw or did not compile; the message is the user's, without a host stack;
 * - `not_json`: the result was a function, symbol, BigInt, Promise, Map/Set or had a cycle;
 * - `plugin_integrity`: a plugin bundle's sha256 did not match its integrity (it was never compiled);
 * - `plugin_load`: a plugin bundle did not evaluate, or does not define the node asked for;
 * - `plugin_missing`: a host was asked for a bundle it was never sent (a pool bug; reported, not hidden).
 */
export type SandboxErrorCode =
  | 'sandbox_timeout' | 'sandbox_memory' | 'sandbox_crashed' | 'code_error' | 'not_json'
  | 'plugin_integrity' | 'plugin_load' | 'plugin_missing';

export const SANDBOX_ERROR_CODES: readonly SandboxErrorCode[] = [
  'sandbox_timeout', 'sandbox_memory', 'sandbox_crashed', 'code_error', 'not_json',
  'plugin_integrity', 'plugin_load', 'plugin_missing',
];

/** A sandbox call failed. Never retried: running the same code on the same data fails the same way. */
export class SandboxError extends NonRetryableError {
  override name = 'SandboxError';
  declare readonly code: SandboxErrorCode;
  /** What the code printed with `console.log` before it failed (Code node calls only). Default: []. */
  readonly logs: string[];
  /** In a batch of expressions, the one that was running when the batch was stopped, when known. */
  readonly expressionIndex?: number;

  constructor(code: SandboxErrorCode, message: string, extra: { logs?: string[]; expressionIndex?: number } = {}) {
    super(message, { code });
    this.logs = extra.logs ?? [];
    if (extra.expressionIndex !== undefined) this.expressionIndex = extra.expressionIndex;
  }
}

/** Narrows a code received from a host process; anything unknown is reported as a crash. */
export function sandboxErrorCode(code: string): SandboxErrorCode {
  return (SANDBOX_ERROR_CODES as readonly string[]).includes(code) ? (code as SandboxErrorCode) : 'sandbox_crashed';
}
