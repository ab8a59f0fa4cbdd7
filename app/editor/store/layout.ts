import dagre from '@dagrejs/dagre';
import type { EditorEdge, EditorNode } from './types';

/** Tidy-up: a left-to-right layered layout (dagre) that keeps each node's size. */
export function tidyLayout(nodes: EditorNode[], edges: EditorEdge[]): EditorNode[] {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) graph.setNode(node.id, { width: node.width ?? 200, height: node.height ?? 56 });
  for (const edge of edges) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  return nodes.map((node) => {
    const placed = graph.node(node.id);
    // dagre gives centres; React Flow positions are top-left corners. Snap to the 20 px grid.
    const x = Math.round((placed.x - (node.width ?? 200) / 2) / 20) * 20;
    const y = Math.round((placed.y - (node.height ?? 56) / 2) / 20) * 20;
    return { ...node, position: { x, y } };
  });
}
