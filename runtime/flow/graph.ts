import type { FlowEdge, FlowNode } from './document.js';

/** The parts of a node and an edge the graph needs, so partial (still invalid) documents can be indexed too. */
export type GraphNode = Pick<FlowNode, 'id'> & Partial<FlowNode>;
export type GraphEdge = Pick<FlowEdge, 'id' | 'source' | 'sourceHandle' | 'target' | 'targetHandle'>;

/**
 * Read-only indexes over a flow document's nodes and edges. Edges whose ends name no node stay in the
 * edge indexes (the validator reports them) but are ignored by the traversals.
 */
export class FlowGraph<N extends GraphNode = FlowNode, E extends GraphEdge = FlowEdge> {
  /** Nodes by id; with duplicate ids the first one wins. */
  readonly nodes: ReadonlyMap<string, N>;
  private readonly outgoingByNode = new Map<string, E[]>();
  private readonly incomingByNode = new Map<string, E[]>();

  constructor(nodes: readonly N[], readonly edges: readonly E[]) {
    const byId = new Map<string, N>();
    for (const node of nodes) if (!byId.has(node.id)) byId.set(node.id, node);
    this.nodes = byId;
    for (const edge of edges) {
      push(this.outgoingByNode, edge.source, edge);
      push(this.incomingByNode, edge.target, edge);
    }
  }

  node(id: string): N | undefined {
    return this.nodes.get(id);
  }

  /** Edges leaving `nodeId`, only those from `port` when given, in document order. */
  outgoing(nodeId: string, port?: string): E[] {
    const edges = this.outgoingByNode.get(nodeId) ?? [];
    return port === undefined ? [...edges] : edges.filter((edge) => edge.sourceHandle === port);
  }

  /** Edges entering `nodeId`, in document order (the order a join node receives its inputs in). */
  incoming(nodeId: string): E[] {
    return [...(this.incomingByNode.get(nodeId) ?? [])];
  }

  /** Ids of the nodes with an edge into `nodeId`, first occurrence order. */
  predecessors(nodeId: string): string[] {
    return unique(this.incoming(nodeId).map((edge) => edge.source).filter((id) => this.nodes.has(id)));
  }

  /** Ids of the nodes `nodeId` sends to (from `port` when given). */
  successors(nodeId: string, port?: string): string[] {
    return unique(this.outgoing(nodeId, port).map((edge) => edge.target).filter((id) => this.nodes.has(id)));
  }

  /** Every node from which `nodeId` can be reached, excluding `nodeId` itself unless it is on a cycle. */
  upstreamOf(nodeId: string): Set<string> {
    return this.reach([nodeId], (id) => this.predecessors(id));
  }

  /** Every node reachable from `nodeId` (only through `port` for the first hop, when given). */
  downstreamOf(nodeId: string, port?: string): Set<string> {
    return this.reach(this.successors(nodeId, port), (id) => this.successors(id), true);
  }

  /** Nodes with no incoming edges from existing nodes. */
  roots(): string[] {
    return [...this.nodes.keys()].filter((id) => this.predecessors(id).length === 0);
  }

  /**
   * The graph's cycles as strongly connected components (Tarjan): each is a list of node ids in
   * document order, with more than one node or a node with an edge to itself. Empty when acyclic.
   */
  findCycles(): string[][] {
    const order = new Map([...this.nodes.keys()].map((id, index) => [id, index]));
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    const cycles: string[][] = [];
    let counter = 0;

    // Iterative, so a long chain of nodes cannot overflow the call stack.
    for (const start of this.nodes.keys()) {
      if (index.has(start)) continue;
      const work: { id: string; next: string[]; at: number }[] = [];
      const enter = (id: string) => {
        index.set(id, counter);
        low.set(id, counter);
        counter += 1;
        stack.push(id);
        onStack.add(id);
        work.push({ id, next: this.successors(id), at: 0 });
      };
      enter(start);
      while (work.length > 0) {
        const frame = work[work.length - 1]!;
        if (frame.at < frame.next.length) {
          const next = frame.next[frame.at++]!;
          if (!index.has(next)) enter(next);
          else if (onStack.has(next)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(next)!));
          continue;
        }
        work.pop();
        const parent = work[work.length - 1];
        if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
        if (low.get(frame.id) !== index.get(frame.id)) continue;
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        if (component.length > 1 || this.successors(frame.id).includes(frame.id)) {
          cycles.push(component.sort((a, b) => order.get(a)! - order.get(b)!));
        }
      }
    }
    return cycles.sort((a, b) => order.get(a[0]!)! - order.get(b[0]!)!);
  }

  private reach(starts: readonly string[], step: (id: string) => string[], includeStarts = false): Set<string> {
    const seen = new Set<string>();
    const queue = [...starts];
    if (includeStarts) for (const id of starts) seen.add(id);
    // A moving head instead of shift(): shift is O(n) per call on large flows.
    for (let head = 0; head < queue.length; head += 1) {
      const id = queue[head]!;
      for (const next of step(id)) {
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push(next);
      }
    }
    return seen;
  }
}

/** Indexes a document (or any nodes + edges) for traversal. */
export function buildGraph<N extends GraphNode, E extends GraphEdge>(document: { nodes: readonly N[]; edges: readonly E[] }): FlowGraph<N, E> {
  return new FlowGraph(document.nodes, document.edges);
}

/** Cycles of a document's graph; see {@link FlowGraph.findCycles}. */
export function findCycles(graph: FlowGraph<GraphNode, GraphEdge>): string[][] {
  return graph.findCycles();
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
