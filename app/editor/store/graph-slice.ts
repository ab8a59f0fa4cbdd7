import { applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange } from '@xyflow/react';
import type { StateCreator } from 'zustand';
import { FLOW_FORMAT, type FlowDocument, type FlowDocumentInput } from '../../../runtime/flow/document.js';
import type { CredentialSummary, NodeCatalogEntry } from '../../../runtime/services/types.js';
import { pasteClip, serializeSelection } from './clipboard';
import { connectionProblem, defaultProps, fromDocument, newEdgeId, newNodeId, sizeNode, toDocumentParts } from './graph';
import { tidyLayout } from './layout';
import type { EditorState } from './store';
import { catalogKey, type Catalog, type EditorEdge, type EditorNode, type FlowNodeData } from './types';

export interface GraphSlice {
  catalog: Catalog;
  name: string;
  description?: string;
  /** The document's credential slots (slot key → kind/name/id). */
  credentials: FlowDocument['credentials'];
  flowSettings?: FlowDocument['settings'];
  nodes: EditorNode[];
  edges: EditorEdge[];
  /** Changed since the last load or save. */
  dirty: boolean;
  /** A read-only view (an old version): every edit action is a no-op. */
  readOnly: boolean;
  /** True while a node drag is under way (one undo step per drag). */
  dragging: boolean;

  setCatalog(entries: NodeCatalogEntry[]): void;
  load(document: FlowDocumentInput | FlowDocument, options?: { readOnly?: boolean }): void;
  onNodesChange(changes: NodeChange<EditorNode>[]): void;
  onEdgesChange(changes: EdgeChange<EditorEdge>[]): void;
  /** Adds the edge, or returns why it is refused. */
  connect(connection: Connection): string | undefined;
  /** Adds a node (selected alone); with `from`, also an edge from that output port. Returns its id. */
  addNode(type: string, version: number, position: { x: number; y: number }, from?: { nodeId: string; handle: string }): string | undefined;
  updateNode(id: string, patch: Partial<FlowNodeData>, coalesceKey?: string): void;
  bindCredential(nodeId: string, slot: string, credential: CredentialSummary | undefined): void;
  setName(name: string): void;
  deleteSelected(): void;
  copySelection(): string | undefined;
  paste(text: string): boolean;
  tidyUp(): void;
  toDocument(): FlowDocumentInput;
  markSaved(): void;
}

const STRUCTURAL = new Set(['add', 'remove', 'replace']);

export const createGraphSlice: StateCreator<EditorState, [], [], GraphSlice> = (set, get) => ({
  catalog: {},
  name: 'Untitled flow',
  credentials: {},
  nodes: [],
  edges: [],
  dirty: false,
  readOnly: false,
  dragging: false,

  setCatalog(entries) {
    const catalog: Catalog = {};
    for (const entry of entries) catalog[catalogKey(entry.type, entry.version)] = entry;
    set({ catalog, nodes: get().nodes.map((n) => sizeNode(n, catalog)) });
  },

  load(document, options = {}) {
    const { nodes, edges } = fromDocument(document, get().catalog);
    set({
      name: document.name, description: document.description, credentials: { ...(document.credentials ?? {}) },
      flowSettings: document.settings, nodes, edges, dirty: false, readOnly: options.readOnly ?? false, past: [], future: [],
    });
  },

  onNodesChange(changes) {
    const { readOnly, dragging, checkpoint } = get();
    // Selection and measuring are allowed read-only; moving and removing are edits.
    const allowed = readOnly ? changes.filter((c) => c.type === 'select' || c.type === 'dimensions') : changes;
    if (allowed.length === 0) return;
    const moving = allowed.some((c) => c.type === 'position' && c.dragging);
    const edits = allowed.some((c) => c.type === 'position' || STRUCTURAL.has(c.type));
    if (moving && !dragging) checkpoint();
    else if (!moving && allowed.some((c) => STRUCTURAL.has(c.type))) checkpoint();
    const stillDragging = allowed.some((c) => c.type === 'position') ? moving : dragging;
    set({ nodes: applyNodeChanges(allowed, get().nodes), dragging: stillDragging, ...(edits ? { dirty: true } : {}) });
  },

  onEdgesChange(changes) {
    const allowed = get().readOnly ? changes.filter((c) => c.type === 'select') : changes;
    if (allowed.length === 0) return;
    const edits = allowed.some((c) => STRUCTURAL.has(c.type));
    if (edits) get().checkpoint();
    set({ edges: applyEdgeChanges(allowed, get().edges), ...(edits ? { dirty: true } : {}) });
  },

  connect(connection) {
    const { nodes, edges, catalog, readOnly } = get();
    if (readOnly) return 'This is an old version; restore it to edit.';
    const problem = connectionProblem(connection, nodes, edges, catalog);
    if (problem) return problem;
    get().checkpoint();
    const sourceHandle = connection.sourceHandle ?? 'main';
    const id = newEdgeId(connection.source, sourceHandle, connection.target, new Set(edges.map((e) => e.id)));
    set({ edges: [...edges, { id, source: connection.source, target: connection.target, sourceHandle, targetHandle: connection.targetHandle ?? 'main' }], dirty: true });
    return undefined;
  },

  addNode(type, version, position, from) {
    const { catalog, nodes, readOnly } = get();
    const entry = catalog[catalogKey(type, version)];
    if (!entry || readOnly) return undefined;
    get().checkpoint();
    const id = newNodeId(type, new Set(nodes.map((n) => n.id)));
    const node = sizeNode({
      id, type: 'flow', position: { x: Math.round(position.x / 20) * 20, y: Math.round(position.y / 20) * 20 }, selected: true,
      data: { type, typeVersion: version, props: defaultProps(entry) },
    }, catalog);
    set({ nodes: [...nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node], dirty: true });
    if (from && entry.ports.in.length > 0) {
      const reason = connectionProblem({ source: from.nodeId, sourceHandle: from.handle, target: id, targetHandle: entry.ports.in[0]! }, get().nodes, get().edges, catalog);
      if (!reason) {
        const edgeId = newEdgeId(from.nodeId, from.handle, id, new Set(get().edges.map((e) => e.id)));
        set({ edges: [...get().edges, { id: edgeId, source: from.nodeId, sourceHandle: from.handle, target: id, targetHandle: entry.ports.in[0]! }] });
      }
    }
    return id;
  },

  updateNode(id, patch, coalesceKey) {
    if (get().readOnly) return;
    get().checkpoint(coalesceKey ? `${id}:${coalesceKey}` : undefined);
    const { catalog } = get();
    const nodes = get().nodes.map((n) => (n.id === id ? sizeNode({ ...n, data: { ...n.data, ...patch } }, catalog) : n));
    // A port that disappeared (a Switch rule removed, error routing turned off) takes its edges with it.
    const node = nodes.find((n) => n.id === id);
    const edges = node ? get().edges.filter((e) => e.source !== id || connectionProblemFree(e, nodes, catalog)) : get().edges;
    set({ nodes, edges, dirty: true });
  },

  bindCredential(nodeId, slot, credential) {
    const node = get().nodes.find((n) => n.id === nodeId);
    if (!node || get().readOnly) return;
    const credentials = { ...get().credentials };
    const bindings = { ...(node.data.credentials ?? {}) };
    if (credential) {
      const key = `cred-${credential.id.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}`;
      credentials[key] = { kind: credential.kind, name: credential.name, id: credential.id };
      bindings[slot] = key;
    } else {
      delete bindings[slot];
    }
    get().checkpoint();
    set({ credentials });
    get().updateNode(nodeId, { credentials: bindings });
  },

  setName(name) {
    if (get().readOnly) return;
    get().checkpoint('flow:name');
    set({ name, dirty: true });
  },

  deleteSelected() {
    const { nodes, edges, readOnly } = get();
    if (readOnly) return;
    const gone = new Set(nodes.filter((n) => n.selected).map((n) => n.id));
    const keptEdges = edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target));
    if (gone.size === 0 && keptEdges.length === edges.length) return;
    get().checkpoint();
    set({ nodes: nodes.filter((n) => !gone.has(n.id)), edges: keptEdges, dirty: true });
  },

  copySelection() {
    return serializeSelection(get().nodes, get().edges);
  },

  paste(text) {
    const { nodes, edges, catalog, readOnly } = get();
    if (readOnly) return false;
    const pasted = pasteClip(text, nodes, edges, { x: 40, y: 40 });
    if (!pasted) return false;
    get().checkpoint();
    set({
      nodes: [...nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted.nodes.map((n) => sizeNode(n, catalog))],
      edges: [...edges, ...pasted.edges],
      dirty: true,
    });
    return true;
  },

  tidyUp() {
    if (get().readOnly || get().nodes.length === 0) return;
    get().checkpoint();
    set({ nodes: tidyLayout(get().nodes, get().edges), dirty: true });
  },

  toDocument() {
    const { name, description, credentials, flowSettings, nodes, edges } = get();
    const parts = toDocumentParts(nodes, edges);
    // Only slots some node still uses go into the document.
    const used = new Set(parts.nodes.flatMap((n) => Object.values(n.credentials ?? {})));
    const slots = Object.fromEntries(Object.entries(credentials).filter(([key]) => used.has(key)));
    return {
      format: FLOW_FORMAT, name: name.trim() || 'Untitled flow', ...(description ? { description } : {}),
      ...parts, credentials: slots, ...(flowSettings ? { settings: flowSettings } : {}),
    };
  },

  markSaved() {
    set({ dirty: false });
  },
});

/** An edge whose source port still exists after the source node changed. */
function connectionProblemFree(edge: EditorEdge, nodes: EditorNode[], catalog: Catalog): boolean {
  const others = [] as EditorEdge[];
  return connectionProblem({ source: edge.source, sourceHandle: edge.sourceHandle ?? 'main', target: edge.target, targetHandle: edge.targetHandle ?? 'main' }, nodes, others, catalog) === undefined;
}
