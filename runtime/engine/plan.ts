import type { AnyNodeDefinition } from '@switchyard/sdk';
import type { FlowDocument, FlowEdge, FlowNode } from '../flow/document.js';
import type { NodeRegistry } from '../../nodes/index.js';
import { findNode } from '../../nodes/index.js';

/** A node of a flow version with its definition looked up once. */
export interface PlannedNode {
  node: FlowNode;
  definition: AnyNodeDefinition;
  /** Edges leaving each output port, in document order. */
  outgoing: Map<string, FlowEdge[]>;
  /** Edges arriving at this node (join nodes wait for these). */
  incoming: FlowEdge[];
  /** Props with schema defaults applied, filled on first use (see step.ts). */
  propsWithDefaults?: unknown;
  /** Parsed props when they hold no expression: identical for every run, so parsed once (step.ts). */
  staticProps?: unknown;
}

/**
 * A flow version prepared for execution: built once per (flow, version) and cached, because
 * versions are immutable and the hot path must not re-index the graph on every run.
 */
export interface FlowPlan {
  flowId: string;
  version: number;
  document: FlowDocument;
  nodes: Map<string, PlannedNode>;
  /** For each Collect node, the For each node whose items it gathers. */
  collectOwner: Map<string, string>;
  /** Node ids in document order (deterministic tie-breaks). */
  order: string[];
}


export class PlanError extends Error {
  override name = 'PlanError';
}

export function buildPlan(flowId: string, version: number, document: FlowDocument, registry: NodeRegistry): FlowPlan {
  const nodes = new Map<string, PlannedNode>();
  for (const node of document.nodes) {
    const definition = findNode(registry, node.type, node.typeVersion);
    if (!definition) throw new PlanError(`node "${node.id}": unknown node type "${node.type}" version ${node.typeVersion}`);
    nodes.set(node.id, { node, definition, outgoing: new Map(), incoming: [] });
  }
  for (const edge of document.edges) {
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source || !target) throw new PlanError(`edge "${edge.id}" connects a node that does not exist`);
    const list = source.outgoing.get(edge.sourceHandle) ?? [];
    list.push(edge);
    source.outgoing.set(edge.sourceHandle, list);
    target.incoming.push(edge);
  }
  return { flowId, version, document, nodes, collectOwner: findCollectOwners(nodes), order: document.nodes.map((n) => n.id) };
}

/** The nearest For each upstream of each Collect node (walking back through incoming edges). */
function findCollectOwners(nodes: Map<string, PlannedNode>): Map<string, string> {
  const owners = new Map<string, string>();
  for (const [id, planned] of nodes) {
    if (planned.definition.inputMode !== 'collect') continue;
    const seen = new Set<string>();
    const queue = planned.incoming.map((e) => e.source);
    while (queue.length > 0) {
      const current = queue.shift()!;
      if (seen.has(current)) continue;
      seen.add(current);
      const upstream = nodes.get(current);
      if (!upstream) continue;
      if (isLoop(upstream.definition)) {
        owners.set(id, current);
        break;
      }
      queue.push(...upstream.incoming.map((e) => e.source));
    }
  }
  return owners;
}

/** For each is the one loop node; recognised by its type so plugins cannot open scopes. */
export function isLoop(definition: AnyNodeDefinition): boolean {
  return definition.type === 'core.for-each';
}

/** Cache of plans by flow id and version; versions never change once saved. */
export class PlanCache {
  private readonly plans = new Map<string, FlowPlan>();
  constructor(private readonly max = 500) {}

  get(flowId: string, version: number): FlowPlan | undefined {
    const key = `${flowId}@${version}`;
    const plan = this.plans.get(key);
    if (plan) {
      // Refresh recency: Map keeps insertion order, so re-insert to make it the newest.
      this.plans.delete(key);
      this.plans.set(key, plan);
    }
    return plan;
  }

  set(plan: FlowPlan): void {
    const key = `${plan.flowId}@${plan.version}`;
    this.plans.set(key, plan);
    if (this.plans.size > this.max) {
      const oldest = this.plans.keys().next().value;
      if (oldest !== undefined) this.plans.delete(oldest);
    }
  }
}
