import type { z } from 'zod';
import type { Json } from '@switchyard/sdk';
import { findNode, nodeRegistry, type NodeRegistry } from '../../../nodes/index.js';
import { FLOW_FORMAT, type FlowDocument, type FlowEdge, type FlowNode, type NodeSettings } from '../../flow/document.js';
import { assertSafeJsonValue, UntrustedDocumentError } from '../../flow/untrusted.js';
import { translateValue, type ExpressionScope } from './expressions.js';
import { DROPPED, mappers, OUTPUT_FIELDS, OUTPUT_PREFIX } from './mappers/index.js';
import { isRecord, Unmappable, type MapContext, type Mapped } from './mappers/types.js';
import type { ImportReport, NodeReport } from './report.js';
import { n8nWorkflowSchema, shortType, type N8nNode, type N8nWorkflow } from './workflow.js';

export interface ConvertOptions {
  /** Node types to map onto (plugins included). Default: the built-in registry. */
  registry?: NodeRegistry;
}

/** A converted n8n workflow: the flow document (never active), the report, and pins by node id and port. */
export interface N8nImport {
  document: FlowDocument;
  report: ImportReport;
  pins: Record<string, Record<string, Json>>;
}

const EXPRESSION = /\{\{[\s\S]*\}\}/;

function slugId(name: string, used: Set<string>): string {
  const base = name.normalize('NFKD').replace(/[^A-Za-z0-9_.:-]+/g, '_').replace(/^_+|_+$/g, '').toLowerCase().slice(0, 100) || 'node';
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
  used.add(id);
  return id;
}

function parseWorkflow(input: unknown): N8nWorkflow {
  assertSafeJsonValue(input);
  const parsed = n8nWorkflowSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    throw new UntrustedDocumentError(`not an n8n workflow: ${path.length > 0 ? `${path.join('.')}: ` : ''}${issue.message}`, path);
  }
  return parsed.data;
}

/**
 * Converts an n8n workflow export into a `switchyard/flow@1` document with an import report
 * (decision 039). Pure: nothing is saved. Throws a 400 `invalid_document` for input that is not a
 * safe n8n workflow; unknown node types become placeholders, never errors.
 */
export function convertN8nWorkflow(input: unknown, options: ConvertOptions = {}): N8nImport {
  const registry = options.registry ?? nodeRegistry;
  const workflow = parseWorkflow(input);
  const byName = new Map<string, N8nNode>();
  for (const node of workflow.nodes) {
    if (byName.has(node.name)) throw new UntrustedDocumentError(`not an n8n workflow: two nodes are named "${node.name}"`, ['nodes']);
    byName.set(node.name, node);
  }
  const notes: string[] = [];
  const connections = workflow.connections;
  const main = (name: string) => (Object.hasOwn(connections, name) && Array.isArray(connections[name]!.main) ? connections[name]!.main! : []);

  // Sub-nodes (chat models, memories, tools, parsers) connect only by ai_* connections: folded into their parent.
  const attachedTo = new Map<string, Map<string, N8nNode[]>>();
  const folded = new Map<string, string>();
  for (const [source, byType] of Object.entries(connections)) {
    const node = byName.get(source);
    if (!node) continue;
    for (const [type, outputs] of Object.entries(byType)) {
      if (type === 'main') continue;
      for (const target of (outputs ?? []).flat()) {
        if (!target || !byName.has(target.node)) continue;
        const perType = attachedTo.get(target.node) ?? new Map<string, N8nNode[]>();
        perType.set(type, [...(perType.get(type) ?? []), node]);
        attachedTo.set(target.node, perType);
        if (main(source).every((o) => !o || o.length === 0)) folded.set(source, target.node);
      }
    }
  }

  const used = new Set<string>();
  const ids = new Map<string, string>();
  for (const node of workflow.nodes) {
    if (DROPPED.has(shortType(node.type)) || folded.has(node.name)) continue;
    ids.set(node.name, slugId(node.name, used));
  }
  const predecessors = new Map<string, Set<string>>();
  for (const [source] of Object.entries(connections)) {
    for (const output of main(source)) for (const target of output ?? []) {
      predecessors.set(target.node, (predecessors.get(target.node) ?? new Set()).add(source));
    }
  }
  const prefixOf = (name: string) => OUTPUT_PREFIX[shortType(byName.get(name)?.type ?? '')] ?? '';
  const fieldsOf = (name: string) => OUTPUT_FIELDS[shortType(byName.get(name)?.type ?? '')];

  const document: FlowDocument = { format: FLOW_FORMAT, name: (workflow.name?.trim() || 'Imported from n8n').slice(0, 200), description: 'Imported from n8n', nodes: [], edges: [], credentials: {} };
  const reports: NodeReport[] = [];
  const mappedBy = new Map<string, { mapped?: Mapped; node: FlowNode }>();
  const credentialKeys = new Map<string, string>();
  const credentialSummary: ImportReport['summary']['credentials'] = [];

  for (const node of workflow.nodes) {
    const short = shortType(node.type);
    if (DROPPED.has(short)) continue;
    const report: NodeReport = { name: node.name, n8nType: node.type, outcome: 'mapped', changes: [], itemSemantics: [], warnings: [], expressions: { total: 0, translated: 0 } };
    reports.push(report);
    if (folded.has(node.name)) {
      report.outcome = 'folded';
      report.changes.push(`settings go into "${folded.get(node.name)}"`);
      continue;
    }
    const id = ids.get(node.name)!;
    report.nodeId = id;
    const preds = [...(predecessors.get(node.name) ?? [])];
    const prefixes = new Set(preds.map(prefixOf));
    const fieldSets = new Set(preds.map((p) => fieldsOf(p)));
    const scope: ExpressionScope = {
      idOf: (n) => ids.get(n), prefixOf, fieldsOf, inputPrefix: prefixes.size === 1 ? [...prefixes][0]! : '',
      ...(fieldSets.size === 1 && [...fieldSets][0] ? { inputFields: [...fieldSets][0] } : {}),
    };
    const nodeCredentials: Record<string, string> = {};
    const value = (v: Json | undefined, what: string): Json => {
      if (typeof v === 'string') {
        const out = translateValue(v, scope);
        report.expressions.total += out.expressions;
        report.expressions.translated += out.translated;
        for (const r of out.rewrites) report.changes.push(`${what}: ${r}`);
        for (const u of out.untranslated) report.warnings.push(`${what}: not translated: ${u}`);
        report.itemSemantics.push(...out.itemSemantics);
        return out.value;
      }
      if (Array.isArray(v)) return v.map((item) => value(item, what));
      if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, value(item, what)]));
      return v ?? null;
    };
    const outputsUsed = main(node.name).reduce<number>((max, o, i) => (o && o.length > 0 ? i + 1 : max), 0);
    const ctx: MapContext = {
      node, version: node.typeVersion ?? 1, params: node.parameters as Record<string, Json>, outputsUsed,
      value,
      text: (v, what) => (v === undefined || v === null ? undefined : typeof v === 'string' ? (value(v, what) as string) : typeof v === 'object' ? JSON.stringify(v) : String(v)),
      change: (t) => report.changes.push(t),
      items: (t) => report.itemSemantics.push(t),
      warn: (t) => report.warnings.push(t),
      credential: (n8nTypes, kind, slot, from = node) => {
        const found = n8nTypes.map((t) => [t, from.credentials?.[t]] as const).find(([, c]) => c !== undefined);
        const name = found?.[1]?.name;
        const identity = `${kind}\u0000${found?.[1]?.id ?? name ?? ''}`;
        let key = credentialKeys.get(identity);
        if (!key) {
          key = slugId(`${kind}${name ? `-${name}` : ''}`, new Set(Object.keys(document.credentials)));
          credentialKeys.set(identity, key);
          document.credentials[key] = name ? { kind, name } : { kind };
          credentialSummary.push({ slot: key, kind, n8nType: found?.[0] ?? n8nTypes[0]!, ...(name ? { name } : {}) });
        }
        nodeCredentials[slot] = key;
        return nodeCredentials;
      },
      attached: (type) => attachedTo.get(node.name)?.get(type) ?? [],
      idOf: (n) => ids.get(n),
      has: (type, version = 1) => findNode(registry, type, version) !== undefined,
    };

    let mapped: Mapped | undefined;
    const mapper = Object.hasOwn(mappers, short) ? mappers[short] : undefined;
    try {
      if (!mapper) throw new Unmappable(`no Switchyard node does what ${node.type} does yet`);
      mapped = mapper(ctx);
      if (!findNode(registry, mapped.type, mapped.typeVersion ?? 1)) throw new Unmappable(`the node type ${mapped.type} is not installed`);
    } catch (error) {
      // Whatever a mapper trips over in a hostile or unusual file, the node becomes a placeholder: never a 500.
      mapped = undefined;
      report.outcome = 'not_mapped';
      report.warnings.unshift(error instanceof Unmappable ? error.message : `its parameters could not be read (${error instanceof Error ? error.message : String(error)})`);
      report.changes = [];
      for (const key of Object.keys(nodeCredentials)) delete nodeCredentials[key];
    }

    const flowNode: FlowNode = {
      id, type: mapped?.type ?? 'core.placeholder', typeVersion: mapped?.typeVersion ?? 1,
      position: { x: node.position?.[0] ?? 0, y: node.position?.[1] ?? 0 }, label: node.name.slice(0, 200),
      props: mapped?.props ?? {
        n8nType: node.type, ...(node.typeVersion !== undefined ? { n8nTypeVersion: node.typeVersion } : {}), reason: report.warnings[0]?.slice(0, 2000) ?? '',
        parameters: node.parameters as Json, outputs: Array.from({ length: Math.max(1, outputsUsed) }, (_, i) => (i === 0 ? 'main' : `output-${i}`)),
      },
    };
    if (!mapped || node.disabled) flowNode.disabled = true;
    if (node.disabled && mapped) report.changes.push('disabled in n8n: imported disabled');
    if (Object.keys(nodeCredentials).length > 0) flowNode.credentials = { ...nodeCredentials };
    const settings = settingsOf(node, report);
    if (mapped && settings) flowNode.settings = settings;
    if (mapped) {
      report.type = mapped.type;
      if (mapped.review) report.review = true;
      checkProps(registry, flowNode, report);
      report.outcome = report.changes.length > 0 || report.itemSemantics.length > 0 || report.warnings.length > 0 ? 'changed' : 'mapped';
    } else {
      report.type = 'core.placeholder';
    }
    document.nodes.push(flowNode);
    mappedBy.set(node.name, { mapped, node: flowNode });
  }

  const pins = pinsOf(workflow, ids, mappedBy, registry, notes);
  addEdges(workflow, byName, mappedBy, document, notes, registry);

  const count = (o: NodeReport['outcome']) => reports.filter((r) => r.outcome === o).length;
  const report: ImportReport = {
    format: 'n8n', workflowName: workflow.name ?? '', nodes: reports, notes,
    summary: {
      nodes: reports.length, mapped: count('mapped'), changed: count('changed'), notMapped: count('not_mapped'), folded: count('folded'),
      expressions: reports.reduce((n, r) => n + r.expressions.total, 0),
      expressionsTranslated: reports.reduce((n, r) => n + r.expressions.translated, 0),
      credentials: credentialSummary, pins: Object.keys(pins).length,
      review: reports.filter((r) => r.review).map((r) => r.nodeId!),
    },
  };
  return { document, report, pins };
}

/** n8n's per-node retry and error settings → ours. */
function settingsOf(node: N8nNode, report: NodeReport): NodeSettings | undefined {
  const settings: NodeSettings = {};
  if (node.retryOnFail === true) {
    const attempts = Math.min(20, Math.max(1, Math.round(node.maxTries ?? 3)));
    settings.retry = { attempts, backoff: 'fixed', delayMs: Math.min(86_400_000, Math.max(0, Math.round(node.waitBetweenTries ?? 1000))) };
  }
  if (node.onError === 'continueErrorOutput') settings.onError = 'route';
  else if (node.onError === 'continueRegularOutput' || node.continueOnFail === true) {
    settings.onError = 'continue';
    report.changes.push('on error: continue with { error } on the normal output');
  }
  return Object.keys(settings).length > 0 ? settings : undefined;
}

/** Parses the mapped props with the node's schema; anything wrong that is not an expression goes in the report. */
function checkProps(registry: NodeRegistry, node: FlowNode, report: NodeReport): void {
  const definition = findNode(registry, node.type, node.typeVersion);
  if (!definition) return;
  const schema: z.ZodType = definition.props;
  const parsed = schema.safeParse(node.props);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    let at: unknown = node.props;
    for (const key of issue.path) at = isRecord(at) || Array.isArray(at) ? (at as Record<string | number, unknown>)[key as string] : undefined;
    if (typeof at === 'string' && EXPRESSION.test(at)) continue;
    report.warnings.push(`${issue.path.map(String).join('.') || 'props'}: ${issue.message}`);
  }
}

/** The first output port of a mapped node (or a placeholder's first output). */
function firstPort(registry: NodeRegistry, node: FlowNode): string | undefined {
  const definition = findNode(registry, node.type, node.typeVersion);
  if (!definition) return undefined;
  if (typeof definition.ports.out !== 'function') return definition.ports.out[0];
  const parsed = (definition.props as z.ZodType).safeParse(node.props);
  if (parsed.success) return definition.ports.out(parsed.data)[0];
  return node.type === 'core.placeholder' ? 'main' : undefined;
}

function pinsOf(workflow: N8nWorkflow, ids: Map<string, string>, mappedBy: Map<string, { mapped?: Mapped; node: FlowNode }>, registry: NodeRegistry, notes: string[]): Record<string, Record<string, Json>> {
  const pins: Record<string, Record<string, Json>> = {};
  for (const [name, items] of Object.entries(workflow.pinData ?? {})) {
    const id = ids.get(name);
    const entry = mappedBy.get(name);
    if (!id || !entry || items.length === 0) continue;
    const port = entry.mapped?.port?.(0) ?? firstPort(registry, entry.node) ?? 'main';
    const first = items[0]!;
    pins[id] = { [port]: isRecord(first) && isRecord(first.json) ? first.json : first };
    if (items.length > 1) notes.push(`pinned data of "${name}": ${items.length} items in n8n; the first is pinned (a step outputs one message here)`);
  }
  return pins;
}

function addEdges(
  workflow: N8nWorkflow, byName: Map<string, N8nNode>, mappedBy: Map<string, { mapped?: Mapped; node: FlowNode }>,
  document: FlowDocument, notes: string[], registry: NodeRegistry,
): void {
  const edges: FlowEdge[] = [];
  const seen = new Set<string>();
  const add = (source: string, sourceHandle: string, target: string) => {
    const key = `${source}\u0000${sourceHandle}\u0000${target}`;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push({ id: `e${edges.length + 1}`, source, sourceHandle, target, targetHandle: 'main' });
  };
  const main = (name: string) => (Object.hasOwn(workflow.connections, name) && Array.isArray(workflow.connections[name]!.main) ? workflow.connections[name]!.main! : []);
  // Loops (Loop Over Items): which nodes its loop output reaches, to send their way back into a Collect.
  const collects = new Map<string, string>();
  const loopBodies = new Map<string, Set<string>>();
  for (const [name, entry] of mappedBy) {
    if (!entry.mapped?.collect) continue;
    const body = new Set<string>();
    const stack = main(name).flatMap((targets, index) => (entry.mapped!.port?.(index) === 'item' ? (targets ?? []).map((t) => t.node) : []));
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (body.has(next) || next === name) continue;
      body.add(next);
      for (const targets of main(next)) for (const t of targets ?? []) stack.push(t.node);
    }
    loopBodies.set(name, body);
    const returns = [...body].some((b) => main(b).some((targets) => (targets ?? []).some((t) => t.node === name)));
    const hasDone = (main(name)[0] ?? []).length > 0 && byName.get(name)!.typeVersion !== undefined && (byName.get(name)!.typeVersion ?? 1) >= 3;
    if (!returns && !hasDone) continue;
    const id = `${entry.node.id}_collect`.slice(0, 120);
    collects.set(name, id);
    document.nodes.push({ id, type: 'core.collect', typeVersion: 1, position: { x: entry.node.position.x + 200, y: entry.node.position.y - 160 }, label: `${entry.node.label ?? name} (done)`, props: {} });
  }

  for (const [sourceName, entry] of mappedBy) {
    main(sourceName).forEach((targets, index) => {
      for (const target of targets ?? []) {
        const to = mappedBy.get(target.node);
        if (!to) continue;
        let source = entry.node.id;
        let port: string | undefined;
        if (entry.mapped) {
          port = entry.mapped.port ? entry.mapped.port(index) : index === 0 ? firstPort(registry, entry.node) : undefined;
          if (entry.mapped.collect && index === 0 && port === undefined && collects.has(sourceName)) {
            source = collects.get(sourceName)!;
            port = 'main';
          }
          if (port === undefined && entry.node.settings?.onError === 'route') port = 'error';
        } else {
          port = index === 0 ? 'main' : `output-${index}`;
        }
        if (port === undefined) {
          notes.push(`the connection from "${sourceName}" output ${index} to "${target.node}" has no matching output here and was dropped`);
          continue;
        }
        let targetId = to.node.id;
        if (collects.has(target.node) && loopBodies.get(target.node)?.has(sourceName)) targetId = collects.get(target.node)!;
        add(source, port, targetId);
      }
    });
  }
  document.edges = edges;
}
