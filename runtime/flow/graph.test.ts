import { describe, expect, it } from 'vitest';
import { buildGraph, findCycles, type GraphEdge } from './graph.js';

const edge = (id: string, source: string, target: string, sourceHandle = 'main'): GraphEdge => ({
  id, source, sourceHandle, target, targetHandle: 'main',
});
const nodes = (...ids: string[]) => ids.map((id) => ({ id }));

describe('FlowGraph', () => {
  const graph = buildGraph({
    nodes: nodes('t', 'if', 'a', 'b', 'm'),
    edges: [
      edge('e1', 't', 'if'),
      edge('e2', 'if', 'a', 'true'),
      edge('e3', 'if', 'b', 'false'),
      edge('e4', 'a', 'm'),
      edge('e5', 'b', 'm'),
      edge('e6', 'ghost', 'm'),
    ],
  });

  it('indexes nodes and edges by node and port', () => {
    expect(graph.node('if')).toEqual({ id: 'if' });
    expect(graph.outgoing('if').map((e) => e.id)).toEqual(['e2', 'e3']);
    expect(graph.outgoing('if', 'false').map((e) => e.id)).toEqual(['e3']);
    expect(graph.incoming('m').map((e) => e.id)).toEqual(['e4', 'e5', 'e6']);
  });

  it('ignores edges from missing nodes in traversals', () => {
    expect(graph.predecessors('m')).toEqual(['a', 'b']);
    expect(graph.roots()).toEqual(['t']);
  });

  it('finds upstream and downstream nodes', () => {
    expect([...graph.upstreamOf('m')].sort()).toEqual(['a', 'b', 'if', 't']);
    expect(graph.upstreamOf('t').size).toBe(0);
    expect([...graph.downstreamOf('if', 'true')].sort()).toEqual(['a', 'm']);
    expect([...graph.downstreamOf('t')].sort()).toEqual(['a', 'b', 'if', 'm']);
  });

  it('has no cycles when acyclic', () => {
    expect(findCycles(graph)).toEqual([]);
  });

  it('keeps the first of duplicate node ids', () => {
    const dup = buildGraph({ nodes: [{ id: 'x', label: 'first' }, { id: 'x', label: 'second' }], edges: [] });
    expect(dup.node('x')?.label).toBe('first');
  });
});

describe('findCycles', () => {
  it('reports each strongly connected component once, in document order', () => {
    const graph = buildGraph({
      nodes: nodes('t', 'a', 'b', 'c', 'd', 'e'),
      edges: [
        edge('1', 't', 'a'), edge('2', 'a', 'b'), edge('3', 'b', 'c'), edge('4', 'c', 'a'),
        edge('5', 'c', 'd'), edge('6', 'd', 'e'), edge('7', 'e', 'd'),
      ],
    });
    expect(graph.findCycles()).toEqual([['a', 'b', 'c'], ['d', 'e']]);
  });

  it('reports a self-loop', () => {
    const graph = buildGraph({ nodes: nodes('a', 'b'), edges: [edge('1', 'a', 'b'), edge('2', 'b', 'b')] });
    expect(graph.findCycles()).toEqual([['b']]);
    expect(graph.upstreamOf('b').has('b')).toBe(true);
  });

  it('handles long chains without recursion', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `n${i}`);
    const edges = ids.slice(1).map((id, i) => edge(`e${i}`, ids[i]!, id));
    edges.push(edge('back', ids[ids.length - 1]!, ids[0]!));
    const cycles = buildGraph({ nodes: nodes(...ids), edges }).findCycles();
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(20_000);
  });
});
