import type { ExecutionRecord, StepRecord } from '../../../runtime/services/types.js';
import type { ExpressionContext } from '../form/expressions';
import type { EditorEdge } from '../store/types';

/** The value a step sent on: its `main` output, else its first port's message. */
export function stepJson(step: StepRecord | undefined): unknown {
  if (!step?.output) return undefined;
  if ('main' in step.output) return step.output.main;
  return Object.values(step.output)[0];
}

/**
 * Sample data for a node's expressions from the last finished run: `$json` is what the node got
 * (or, if the run did not reach it, what its upstream node sent on the connected port), `$node`
 * lists every other node that ran.
 */
export function expressionContext(nodeId: string, record: ExecutionRecord | undefined, edges: EditorEdge[], label: (id: string) => string): ExpressionContext {
  if (!record) return { nodes: {} };
  const byNode = new Map<string, StepRecord>();
  for (const step of record.steps) byNode.set(step.nodeId, step);
  let input: unknown = byNode.get(nodeId)?.input ?? undefined;
  if (input === undefined) {
    for (const edge of edges) {
      if (edge.target !== nodeId) continue;
      const output = byNode.get(edge.source)?.output;
      const sent = output?.[edge.sourceHandle ?? 'main'];
      if (sent !== undefined) { input = sent; break; }
    }
  }
  const nodes: ExpressionContext['nodes'] = {};
  for (const [id, step] of byNode) if (id !== nodeId && step.output) nodes[id] = { label: label(id), json: stepJson(step) };
  return { $json: input, $trigger: record.triggerInput ?? undefined, nodes };
}
