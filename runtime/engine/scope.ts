import type { Json } from '@switchyard/sdk';

/** One level of For each nesting: which loop, which item. */
export interface LoopFrame {
  loopNodeId: string;
  index: number;
  /** Messages that reached each Collect node owned by this loop, for this item. */
  collected: Map<string, Json[]>;
}

/**
 * Where a message is being processed: the root of the execution or one item of a (nested) For each.
 * Holds the outputs that `$node["id"].json` sees — an item's own outputs first, then its parents'.
 */
export class Scope {
  readonly outputs = new Map<string, Json>();
  /** Occurrence counter per node, so a node reached twice in one scope gets distinct step keys. */
  private readonly occurrences = new Map<string, number>();
  readonly suffix: string;

  constructor(readonly parent: Scope | undefined, readonly frame: LoopFrame | undefined) {
    const indices = [...(parent?.indices() ?? []), ...(frame ? [frame.index] : [])];
    this.suffix = indices.length > 0 ? `#${indices.join('.')}` : '';
  }

  /** Deterministic step key: node id, loop indices, and `~n` for the n-th repeat in this scope. */
  stepKey(nodeId: string): string {
    const n = this.occurrences.get(nodeId) ?? 0;
    this.occurrences.set(nodeId, n + 1);
    return n === 0 ? `${nodeId}${this.suffix}` : `${nodeId}${this.suffix}~${n}`;
  }

  /** Loop indices from the outermost loop in. */
  private indices(): number[] {
    return [...(this.parent?.indices() ?? []), ...(this.frame ? [this.frame.index] : [])];
  }

  lookup(nodeId: string): Json | undefined {
    return this.outputs.get(nodeId) ?? this.parent?.lookup(nodeId);
  }

  /** `$node` for expressions: every visible node's latest main message. */
  visibleOutputs(): Record<string, { json: Json }> {
    // Parents first, so an item's own outputs override what its enclosing scopes saw.
    const result = this.parent?.visibleOutputs() ?? {};
    for (const [id, json] of this.outputs) result[id] = { json };
    return result;
  }

  /** The innermost loop frame owned by `loopNodeId`. */
  frameOf(loopNodeId: string): LoopFrame | undefined {
    return this.frame?.loopNodeId === loopNodeId ? this.frame : this.parent?.frameOf(loopNodeId);
  }
}
