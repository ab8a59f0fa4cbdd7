import type { Connection } from '@xyflow/react';
import type { FlowDocument, FlowDocumentInput } from '../../../runtime/flow/document.js';
import type { NodeCatalogEntry } from '../../../runtime/services/types.js';
import { catalogKey, type Catalog, type EditorEdge, type EditorNode, type FlowNodeData } from './types';

/** Pure graph helpers: ports, sizes, document conversion and the connection rules the canvas enforces. */

export const NODE_WIDTH = 200;
const BASE_HEIGHT = 56;
const PORT_ROW = 22;

export interface Port {
  id: string;
  label: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Output ports of a node as it is configured now. The catalog lists the default ports; a node with
 * dynamic outputs has one per rule (Switch: `props.rules[].port`, labelled by `label`) or per choice
 * (send and wait for a choice: `props.choices[].id`, labelled by `title`) before them — the catalog's
 * ports that only its default choices gave are left out. `onError: route` adds the `error` port.
 */
export function outputPorts(entry: NodeCatalogEntry | undefined, data: FlowNodeData): Port[] {
  if (!entry) return [{ id: 'main', label: 'main' }];
  const ports: Port[] = [];
  const add = (id: unknown, label: unknown) => {
    if (typeof id === 'string' && id && !ports.some((p) => p.id === id)) ports.push({ id, label: typeof label === 'string' && label ? label : id });
  };
  let defaultChoices = new Set<string>();
  if (entry.ports.dynamicOut && Array.isArray(data.props.rules)) {
    for (const rule of data.props.rules) if (isRecord(rule)) add(rule.port, rule.label);
  } else if (entry.ports.dynamicOut && Array.isArray(data.props.choices)) {
    for (const choice of data.props.choices) if (isRecord(choice)) add(choice.id, choice.title);
    const schema = isRecord(entry.propsSchema.properties) ? entry.propsSchema.properties.choices : undefined;
    const defaults = isRecord(schema) && Array.isArray(schema.default) ? schema.default : [];
    defaultChoices = new Set(defaults.filter(isRecord).map((c) => String(c.id)));
  }
  for (const id of entry.ports.out) if (!defaultChoices.has(id)) add(id, id);
  if (data.settings?.onError === 'route') add('error', 'error');
  return ports;
}

export function inputPorts(entry: NodeCatalogEntry | undefined): Port[] {
  return (entry?.ports.in ?? ['main']).map((id) => ({ id, label: id }));
}

/** Height that fits the node's port rows; React Flow needs it up front (see STACK.md). */
export function nodeHeight(outputs: number, inputs: number): number {
  return BASE_HEIGHT + Math.max(0, Math.max(outputs, inputs) - 1) * PORT_ROW;
}

export function sizeNode(node: EditorNode, catalog: Catalog): EditorNode {
  const entry = catalog[catalogKey(node.data.type, node.data.typeVersion)];
  const height = nodeHeight(outputPorts(entry, node.data).length, inputPorts(entry).length);
  return node.width === NODE_WIDTH && node.height === height ? node : { ...node, width: NODE_WIDTH, height };
}

export function fromDocument(document: FlowDocumentInput | FlowDocument, catalog: Catalog): { nodes: EditorNode[]; edges: EditorEdge[] } {
  const nodes = document.nodes.map((n): EditorNode => {
    const { id, position, ...data } = n;
    return sizeNode({ id, type: 'flow', position: { ...position }, data: { ...data, props: data.props ?? {} } }, catalog);
  });
  const edges = document.edges.map((e): EditorEdge => ({
    id: e.id, source: e.source, target: e.target, sourceHandle: e.sourceHandle ?? 'main', targetHandle: e.targetHandle ?? 'main',
  }));
  return { nodes, edges };
}

/** The canvas back as document nodes/edges; positions rounded so saves do not churn on sub-pixels. */
export function toDocumentParts(nodes: EditorNode[], edges: EditorEdge[]): Pick<FlowDocumentInput, 'nodes' | 'edges'> {
  return {
    nodes: nodes.map((n) => {
      const { type, typeVersion, label, props, settings, credentials, disabled } = n.data;
      return {
        id: n.id, type, typeVersion, position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
        ...(label ? { label } : {}), props,
        ...(settings && Object.keys(settings).length ? { settings } : {}),
        ...(credentials && Object.keys(credentials).length ? { credentials } : {}),
        ...(disabled ? { disabled } : {}),
      };
    }),
    edges: edges.map((e) => ({ id: e.id, source: e.source, sourceHandle: e.sourceHandle ?? 'main', target: e.target, targetHandle: e.targetHandle ?? 'main' })),
  };
}

/** A readable id unique in the flow (`webhook`, `respond-2`): ids show up in `$node["…"]` expressions. */
export function newNodeId(type: string, taken: ReadonlySet<string>): string {
  const base = (type.split('.').pop() ?? 'node').replace(/[^A-Za-z0-9_-]/g, '-') || 'node';
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

export function newEdgeId(source: string, sourceHandle: string, target: string, taken: ReadonlySet<string>): string {
  const base = `${source}.${sourceHandle}-${target}`.slice(0, 110);
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

export function nodeTitle(node: EditorNode | undefined, catalog: Catalog): string {
  if (!node) return 'node';
  return node.data.label || catalog[catalogKey(node.data.type, node.data.typeVersion)]?.title || node.id;
}

/** True when `to` can already reach `from`, i.e. an edge from → to would close a cycle. */
function reaches(edges: EditorEdge[], from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    for (const n of next.get(id) ?? []) if (!seen.has(n)) { seen.add(n); stack.push(n); }
  }
  return false;
}

/**
 * Why a connection is refused, in words for the user; undefined when it is fine. The same rules the
 * server's validator applies (ports, triggers, cycles), checked while dragging so nothing invalid
 * lands on the canvas.
 */
export function connectionProblem(connection: Connection, nodes: EditorNode[], edges: EditorEdge[], catalog: Catalog): string | undefined {
  const source = nodes.find((n) => n.id === connection.source);
  const target = nodes.find((n) => n.id === connection.target);
  if (!source || !target) return 'Both ends must be nodes on the canvas.';
  if (source.id === target.id) return 'A node cannot connect to itself.';
  const sourceEntry = catalog[catalogKey(source.data.type, source.data.typeVersion)];
  const targetEntry = catalog[catalogKey(target.data.type, target.data.typeVersion)];
  const sourceHandle = connection.sourceHandle ?? 'main';
  const targetHandle = connection.targetHandle ?? 'main';
  if (!outputPorts(sourceEntry, source.data).some((p) => p.id === sourceHandle)) {
    return `“${nodeTitle(source, catalog)}” has no output named “${sourceHandle}”. Drag from one of its outputs on the right.`;
  }
  if (inputPorts(targetEntry).length === 0) {
    return `“${nodeTitle(target, catalog)}” is a trigger: it starts the flow, so nothing can connect into it.`;
  }
  if (!inputPorts(targetEntry).some((p) => p.id === targetHandle)) {
    return `Connect into the input on the left of “${nodeTitle(target, catalog)}”, not into an output.`;
  }
  if (edges.some((e) => e.source === source.id && (e.sourceHandle ?? 'main') === sourceHandle && e.target === target.id && (e.targetHandle ?? 'main') === targetHandle)) {
    return 'These two ports are already connected.';
  }
  if (reaches(edges, target.id, source.id)) {
    return `That would loop back to “${nodeTitle(target, catalog)}”. Flows cannot go in circles; to repeat steps use For each + Collect.`;
  }
  return undefined;
}

/** Default props of a new node: each property's schema `default`, so the form starts filled in. */
export function defaultProps(entry: NodeCatalogEntry): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  const properties = isRecord(entry.propsSchema.properties) ? entry.propsSchema.properties : {};
  for (const [name, schema] of Object.entries(properties)) {
    if (!isRecord(schema)) continue;
    if (schema.default !== undefined) props[name] = structuredClone(schema.default);
    // A list that needs items (If's conditions) starts with one, filled with its own defaults.
    else if (schema.type === 'array' && typeof schema.minItems === 'number' && schema.minItems > 0 && isRecord(schema.items)) {
      props[name] = [defaultObject(schema.items)];
    }
  }
  return props;
}

function defaultObject(schema: Record<string, unknown>): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  const properties = isRecord(schema.properties) ? schema.properties : {};
  for (const [name, p] of Object.entries(properties)) if (isRecord(p) && p.default !== undefined) item[name] = structuredClone(p.default);
  return item;
}
