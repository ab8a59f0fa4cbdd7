import type { Json } from '@switchyard/sdk';

/** Where a recorded message came from: the trigger input or a port of an earlier step. */
export type PayloadRef = 'trigger' | `${string}:${string}`;

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/**
 * Deduplicates recorded messages by identity within one execution run: fan-out and pass-through
 * nodes hand the same object on, so the same payload would otherwise be written once per step
 * (DESIGN §8 "stored once and referenced").
 */
export class PayloadDeduper {
  private readonly seen = new Map<object, PayloadRef>();

  constructor(triggerInput: Json) {
    if (isObject(triggerInput)) this.seen.set(triggerInput, 'trigger');
  }

  /** The reference for `value` if it was recorded before. */
  refOf(value: Json): PayloadRef | undefined {
    return isObject(value) ? this.seen.get(value) : undefined;
  }

  /** Remembers the messages of a recorded output so later steps can point at them. */
  remember(stepKey: string, output: Record<string, Json>): void {
    for (const [port, message] of Object.entries(output)) {
      if (isObject(message) && !this.seen.has(message)) this.seen.set(message, `${stepKey}:${port}`);
    }
  }
}

interface RefRow {
  step_key: string;
  input: Json;
  input_ref: string | null;
  output: Record<string, Json> | null;
  output_refs: Record<string, string> | null;
}

/** Puts referenced payloads back, in recording order (`rows` sorted by seq). Mutates and returns `rows`. */
export function resolvePayloadRefs<R extends RefRow>(rows: R[], triggerInput: Json): R[] {
  const messages = new Map<string, Json>([['trigger', triggerInput]]);
  const lookup = (ref: string): Json => messages.get(ref) ?? null;
  for (const row of rows) {
    if (row.input_ref) row.input = lookup(row.input_ref);
    if (row.output_refs) {
      row.output = { ...(row.output ?? {}) };
      for (const [port, ref] of Object.entries(row.output_refs)) row.output[port] = lookup(ref);
    }
    for (const [port, message] of Object.entries(row.output ?? {})) messages.set(`${row.step_key}:${port}`, message);
  }
  return rows;
}
