import type { z } from 'zod';
import { outputPorts, type AnyNodeDefinition } from '@switchyard/sdk';
import { findNode, type NodeRegistry } from '../../nodes/index.js';
import type { Problem } from '../errors.js';
import {
  flowCredentialRefSchema, flowDocumentSchema, flowEdgeSchema, flowNodeSchema,
  type FlowDocument, type FlowEdge, type FlowNode,
} from './document.js';
import { FlowGraph } from './graph.js';

export interface ValidateOptions {
  /** Also require what running needs: an enabled trigger and bound credentials. Default: false. */
  forActivation?: boolean;
  /**
   * The id of the active flow already serving `path` + `method`, if any. Consulted only with
   * `forActivation`: a path is taken only by registering it, which a saved or one-off-run flow does not do.
   */
  webhookOwner?: (path: string, method: string) => string | undefined;
  /** The flow being validated, so its own active webhooks do not count as taken. */
  flowId?: string;
}

export interface ValidationResult {
  /** The parsed document (defaults applied; node props as written), when its shape is valid. */
  document?: FlowDocument;
  /** Every problem found; empty means valid. */
  problems: Problem[];
}

/** Node types that open a loop scope a Collect can close. */
const LOOP_NODE_TYPES = new Set(['core.for-each']);
const EXPRESSION = /\{\{[\s\S]*?\}\}/;

/** What the checks after the node pass need to know about each valid node. */
interface NodeInfo {
  node: FlowNode;
  definition?: AnyNodeDefinition;
  /** Output ports; undefined when they depend on props that did not parse. */
  out?: string[];
  /** Parsed props, when they parsed. */
  props?: unknown;
}

/**
 * Checks a flow document against its shape, the node registry and the graph rules, and reports every
 * problem at once (DESIGN §3): unknown types, bad props, dangling edges, unknown ports, no trigger,
 * cycles, Collect outside a loop, webhook conflicts and credential bindings.
 */
export function validateFlow(input: unknown, registry: NodeRegistry, options: ValidateOptions = {}): ValidationResult {
  const problems: Problem[] = [];
  const shape = flowDocumentSchema.safeParse(input);
  const { nodes, edges, credentials, malformedNodeIds } = shape.success
    ? { ...shape.data, malformedNodeIds: new Set<string>() }
    : salvage(input, shape.error, problems);

  const infos = new Map<string, NodeInfo>();
  nodes.forEach((node) => {
    if (infos.has(node.id)) {
      problems.push({ code: 'duplicate_node_id', nodeId: node.id, path: ['id'], message: `node id "${node.id}" is used by more than one node` });
      return;
    }
    infos.set(node.id, checkNode(node, registry, problems));
  });
  const edgeIds = new Set<string>();
  // Graph checks use only sound edges: a cycle through an edge already reported as wrong is noise.
  const soundEdges: FlowEdge[] = [];
  for (const edge of edges) {
    if (edgeIds.has(edge.id)) {
      problems.push({ code: 'duplicate_edge_id', edgeId: edge.id, message: `edge id "${edge.id}" is used by more than one edge` });
    }
    edgeIds.add(edge.id);
    if (checkEdge(edge, infos, malformedNodeIds, problems)) soundEdges.push(edge);
  }
  for (const info of infos.values()) checkCredentials(info, credentials, options, problems);
  checkTriggers(infos, options, problems);

  const graph = new FlowGraph([...infos.values()].map((info) => info.node), soundEdges);
  for (const cycle of graph.findCycles()) {
    problems.push({
      code: 'cycle', nodeId: cycle[0],
      message: `${cycle.length === 1 ? `node "${cycle[0]}" connects to itself` : `nodes ${cycle.map((id) => `"${id}"`).join(', ')} form a cycle`}; cycles are only allowed through a loop — use For each + Collect`,
    });
  }
  for (const info of infos.values()) {
    if (info.definition?.inputMode !== 'collect') continue;
    const upstream = [...graph.upstreamOf(info.node.id)];
    if (!upstream.some((id) => LOOP_NODE_TYPES.has(infos.get(id)?.node.type ?? ''))) {
      problems.push({
        code: 'collect_without_loop', nodeId: info.node.id,
        message: `node "${info.node.id}": a Collect node needs a For each node before it, whose items it gathers`,
      });
    }
  }
  checkWebhooks(infos, options, problems);
  return { document: shape.success ? shape.data : undefined, problems };
}

/** Reports the shape issues, then keeps the nodes and edges that are well-formed so the other checks still run. */
function salvage(input: unknown, error: z.ZodError, problems: Problem[]) {
  const raw = isRecord(input) ? input : {};
  const rawNodes = Array.isArray(raw.nodes) ? raw.nodes : [];
  const rawEdges = Array.isArray(raw.edges) ? raw.edges : [];
  const idAt = (list: unknown[], index: unknown): string | undefined => {
    const item = typeof index === 'number' ? list[index] : undefined;
    return isRecord(item) && typeof item.id === 'string' ? item.id : undefined;
  };
  for (const issue of error.issues) {
    const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
    const problem: Problem = { code: 'invalid_document', path, message: `${path.length ? formatPath(path) : 'document'}: ${issue.message}` };
    if (path[0] === 'nodes') problem.nodeId = idAt(rawNodes, path[1]);
    if (path[0] === 'edges') problem.edgeId = idAt(rawEdges, path[1]);
    problems.push(stripUndefined(problem));
  }
  const nodes: FlowNode[] = [];
  const malformedNodeIds = new Set<string>();
  rawNodes.forEach((item, index) => {
    const parsed = flowNodeSchema.safeParse(item);
    if (parsed.success) nodes.push(parsed.data);
    else {
      const id = idAt(rawNodes, index);
      if (id !== undefined) malformedNodeIds.add(id);
    }
  });
  const edges = rawEdges.flatMap((item) => {
    const parsed = flowEdgeSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
  const credentials: FlowDocument['credentials'] = {};
  if (isRecord(raw.credentials)) {
    for (const [key, value] of Object.entries(raw.credentials)) {
      const parsed = flowCredentialRefSchema.safeParse(value);
      if (parsed.success) credentials[key] = parsed.data;
    }
  }
  return { nodes, edges, credentials, malformedNodeIds };
}

function checkNode(node: FlowNode, registry: NodeRegistry, problems: Problem[]): NodeInfo {
  const definition = findNode(registry, node.type, node.typeVersion);
  if (!definition) {
    const versions = Object.values(registry).filter((d) => d.type === node.type).map((d) => d.version).sort((a, b) => a - b);
    problems.push(versions.length === 0
      ? { code: 'unknown_type', nodeId: node.id, path: ['type'], message: `node "${node.id}": unknown node type "${node.type}" version ${node.typeVersion}` }
      : {
        code: 'unknown_version', nodeId: node.id, path: ['typeVersion'],
        message: `node "${node.id}": node type "${node.type}" has no version ${node.typeVersion} (available: ${versions.join(', ')})`,
      });
    return { node };
  }
  const literal = new Set(definition.literalProps ?? []);
  // The registry's definitions are typed `any` in their props; read them as the zod schema they are.
  const schema: z.ZodType = definition.props;
  const parsed = schema.safeParse(node.props);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
      // An expression is only known at run time, where the executor resolves it and parses again.
      const value = valueAt(node.props, path);
      if (typeof value === 'string' && EXPRESSION.test(value) && !literal.has(String(path[0]))) continue;
      problems.push({
        code: 'invalid_props', nodeId: node.id, path: ['props', ...path],
        message: `node "${node.id}": ${formatPath(['props', ...path])}: ${issue.message}`,
      });
    }
  }
  const staticOut = typeof definition.ports.out === 'function' ? undefined : [...definition.ports.out];
  const out = staticOut ?? (parsed.success ? outputPorts(definition, parsed.data) : undefined);
  return { node, definition, out, props: parsed.success ? parsed.data : undefined };
}

/** Reports what is wrong with an edge; true when nothing is. */
function checkEdge(edge: FlowEdge, infos: Map<string, NodeInfo>, malformed: Set<string>, problems: Problem[]): boolean {
  const before = problems.length;
  const source = infos.get(edge.source);
  const target = infos.get(edge.target);
  for (const [end, id] of [['source', edge.source], ['target', edge.target]] as const) {
    if (!infos.has(id) && !malformed.has(id)) {
      problems.push({ code: 'dangling_edge', edgeId: edge.id, path: [end], message: `edge "${edge.id}": its ${end} node "${id}" does not exist` });
    }
  }
  if (source?.definition && source.out) {
    const routed = source.node.settings?.onError === 'route';
    const valid = routed ? [...source.out, 'error'] : source.out;
    if (!valid.includes(edge.sourceHandle)) {
      problems.push({
        code: 'unknown_port', edgeId: edge.id, nodeId: source.node.id, path: ['sourceHandle'],
        message: edge.sourceHandle === 'error' && !routed
          ? `edge "${edge.id}": node "${source.node.id}" has an "error" output only when its settings say onError: "route"`
          : `edge "${edge.id}": node "${source.node.id}" has no output "${edge.sourceHandle}" (outputs: ${describePorts(valid)})`,
      });
    }
  }
  if (target?.definition) {
    const inputs = target.definition.ports.in;
    if (!inputs.includes(edge.targetHandle)) {
      problems.push({
        code: 'unknown_port', edgeId: edge.id, nodeId: target.node.id, path: ['targetHandle'],
        message: inputs.length === 0
          ? `edge "${edge.id}": node "${target.node.id}" is a trigger and has no inputs`
          : `edge "${edge.id}": node "${target.node.id}" has no input "${edge.targetHandle}" (inputs: ${describePorts(inputs)})`,
      });
    }
  }
  return problems.length === before;
}

function checkCredentials(info: NodeInfo, credentials: FlowDocument['credentials'], options: ValidateOptions, problems: Problem[]): void {
  const { node, definition } = info;
  if (!definition) return;
  const slots = definition.credentials ?? {};
  for (const [slot, key] of Object.entries(node.credentials ?? {})) {
    const declared = Object.hasOwn(slots, slot) ? slots[slot] : undefined;
    const path = ['credentials', slot];
    if (!declared) {
      const names = Object.keys(slots);
      problems.push({
        code: 'unknown_credential_slot', nodeId: node.id, path,
        message: `node "${node.id}": "${definition.type}" has no credential slot "${slot}"${names.length ? ` (slots: ${names.join(', ')})` : ''}`,
      });
      continue;
    }
    const entry = Object.hasOwn(credentials, key) ? credentials[key] : undefined;
    if (!entry) {
      problems.push({ code: 'missing_credential', nodeId: node.id, path, message: `node "${node.id}": credential "${key}" (slot "${slot}") is not in the flow's credentials` });
      continue;
    }
    const kinds: readonly string[] = typeof declared.kind === 'string' ? [declared.kind] : declared.kind;
    if (!kinds.includes(entry.kind)) {
      problems.push({
        code: 'credential_kind_mismatch', nodeId: node.id, path,
        message: `node "${node.id}": slot "${slot}" needs a ${kinds.map((k) => `"${k}"`).join(' or ')} credential, but "${key}" is "${entry.kind}"`,
      });
    }
  }
  if (!options.forActivation || node.disabled) return;
  for (const [slot, declared] of Object.entries(slots)) {
    if (declared.optional) continue;
    const key = node.credentials?.[slot];
    const entry = key !== undefined && Object.hasOwn(credentials, key) ? credentials[key] : undefined;
    if (key !== undefined && !entry) continue; // already reported as missing
    if (!entry?.id) {
      problems.push({
        code: 'credential_unbound', nodeId: node.id, path: ['credentials', slot],
        message: key === undefined
          ? `node "${node.id}": choose a credential for "${declared.title ?? slot}"`
          : `node "${node.id}": credential "${key}" (slot "${slot}") is not connected to a saved credential`,
      });
    }
  }
}

function checkTriggers(infos: Map<string, NodeInfo>, options: ValidateOptions, problems: Problem[]): void {
  const triggers = [...infos.values()].filter((info) => info.definition?.trigger);
  if (triggers.length === 0) {
    problems.push({ code: 'no_trigger', message: 'the flow has no trigger node; add one (Manual trigger, Webhook, Schedule, …) to start it' });
  } else if (options.forActivation && triggers.every((info) => info.node.disabled)) {
    problems.push({ code: 'no_trigger', message: 'every trigger node of the flow is disabled; enable one to activate it' });
  }
}

function checkWebhooks(infos: Map<string, NodeInfo>, options: ValidateOptions, problems: Problem[]): void {
  const seen = new Map<string, string>();
  for (const info of infos.values()) {
    if (info.definition?.trigger?.kind !== 'webhook' || info.node.disabled || !isRecord(info.props)) continue;
    const { path, method } = info.props;
    if (typeof path !== 'string' || typeof method !== 'string') continue;
    const key = `${method.toUpperCase()} ${path}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        code: 'duplicate_webhook_path', nodeId: info.node.id, path: ['props', 'path'],
        message: `node "${info.node.id}": webhook ${method.toUpperCase()} /hooks/${path} is also used by node "${first}" of this flow`,
      });
      continue;
    }
    seen.set(key, info.node.id);
    if (!options.forActivation) continue;
    const owner = options.webhookOwner?.(path, method.toUpperCase());
    if (owner !== undefined && owner !== options.flowId) {
      problems.push({
        code: 'duplicate_webhook_path', nodeId: info.node.id, path: ['props', 'path'],
        message: `node "${info.node.id}": webhook ${method.toUpperCase()} /hooks/${path} is already used by active flow "${owner}"`,
      });
    }
  }
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let cursor = root;
  for (const part of path) {
    if (Array.isArray(cursor) && typeof part === 'number') cursor = cursor[part];
    else if (isRecord(cursor) && Object.hasOwn(cursor, part)) cursor = cursor[part];
    else return undefined;
  }
  return cursor;
}

/** `props.fields[0].name`. */
function formatPath(path: readonly (string | number)[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

function describePorts(ports: readonly string[]): string {
  return ports.length === 0 ? 'none' : ports.map((p) => `"${p}"`).join(', ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stripUndefined(problem: Problem): Problem {
  if (problem.nodeId === undefined) delete problem.nodeId;
  if (problem.edgeId === undefined) delete problem.edgeId;
  return problem;
}
