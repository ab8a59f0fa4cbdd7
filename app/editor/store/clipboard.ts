import { newEdgeId, newNodeId } from './graph';
import type { EditorEdge, EditorNode } from './types';

/** Copy/paste between flows (and tabs) goes through this JSON text, on the system clipboard and in localStorage. */
const FORMAT = 'switchyard/clipboard@1';

export function serializeSelection(nodes: EditorNode[], edges: EditorEdge[]): string | undefined {
  const chosen = nodes.filter((n) => n.selected);
  if (chosen.length === 0) return undefined;
  const ids = new Set(chosen.map((n) => n.id));
  return JSON.stringify({
    format: FORMAT,
    nodes: chosen.map((n) => ({ id: n.id, position: n.position, data: n.data })),
    edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ source: e.source, sourceHandle: e.sourceHandle, target: e.target, targetHandle: e.targetHandle })),
  });
}

interface Clip {
  nodes: { id: string; position: { x: number; y: number }; data: EditorNode['data'] }[];
  edges: { source: string; sourceHandle?: string | null; target: string; targetHandle?: string | null }[];
}

function parseClip(text: string): Clip | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || !('format' in value) || value.format !== FORMAT) return undefined;
    if (!('nodes' in value) || !Array.isArray(value.nodes) || !('edges' in value) || !Array.isArray(value.edges)) return undefined;
    return { nodes: value.nodes, edges: value.edges };
  } catch {
    return undefined;
  }
}

/**
 * Nodes and edges to add for pasted text: fresh ids (no clash with the flow), shifted by `offset`,
 * selected so they can be moved at once. Credential slot bindings are dropped: a slot key belongs to
 * the flow it was copied from.
 */
export function pasteClip(text: string, nodes: EditorNode[], edges: EditorEdge[], offset: { x: number; y: number }): { nodes: EditorNode[]; edges: EditorEdge[] } | undefined {
  const clip = parseClip(text);
  if (!clip || clip.nodes.length === 0) return undefined;
  const takenNodes = new Set(nodes.map((n) => n.id));
  const takenEdges = new Set(edges.map((e) => e.id));
  const ids = new Map<string, string>();
  const added: EditorNode[] = clip.nodes.map((n) => {
    const id = newNodeId(n.data.type, takenNodes);
    takenNodes.add(id);
    ids.set(n.id, id);
    const { credentials: _dropped, ...data } = n.data;
    return { id, type: 'flow', position: { x: n.position.x + offset.x, y: n.position.y + offset.y }, data: { ...data, credentials: undefined }, selected: true };
  });
  const addedEdges: EditorEdge[] = [];
  for (const e of clip.edges) {
    const source = ids.get(e.source);
    const target = ids.get(e.target);
    if (!source || !target) continue;
    const id = newEdgeId(source, e.sourceHandle ?? 'main', target, takenEdges);
    takenEdges.add(id);
    addedEdges.push({ id, source, target, sourceHandle: e.sourceHandle ?? 'main', targetHandle: e.targetHandle ?? 'main' });
  }
  return { nodes: added, edges: addedEdges };
}
