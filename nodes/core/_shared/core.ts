import { NonRetryableError, type CoreCapabilities, type Json, type NodeContext } from '@switchyard/sdk';

/**
 * The core capabilities of a built-in control node. The runtime always grants them to built-ins; their
 * absence means the node runs somewhere it cannot work (a plugin sandbox, a bare test), which retrying
 * will not fix.
 */
export function requireCore(ctx: Pick<NodeContext, 'core' | 'nodeId'>, nodeTitle: string): CoreCapabilities {
  if (!ctx.core) {
    throw new NonRetryableError(`${nodeTitle} node "${ctx.nodeId}" needs the runtime's core capabilities, which this context lacks`, {
      code: 'core_unavailable',
    });
  }
  return ctx.core;
}

/** `typeof`, but telling arrays and null apart: used in error messages ("expected an array, got object"). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * The executor resolves `{{ }}` in the props as written and only then parses them, so a schema default
 * that is itself an expression (`{{ $json }}`) arrives as that literal text when the prop was left out
 * of the document. Nodes with such defaults pass them through this to get what the expression means.
 */
export function resolveDefault<T>(value: T, defaultText: string, fromInput: () => Json): T | Json {
  return value === defaultText ? fromInput() : value;
}
