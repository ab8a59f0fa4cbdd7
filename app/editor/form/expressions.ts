import { isRecord } from './schema';

/**
 * What the expression picker and preview know: sample data from the last test run. Evaluation here
 * is deliberately limited to property paths (`$json.a.b`, `$node["id"].json.x`, `$trigger.y`,
 * `$vars.k`): the browser never runs the user's JavaScript; anything else previews as "computed
 * when the flow runs".
 */
export interface ExpressionContext {
  $json?: unknown;
  $trigger?: unknown;
  /** Earlier nodes' outputs by node id. */
  nodes: Record<string, { label: string; json: unknown }>;
}

export interface PickerEntry {
  /** What is inserted, e.g. `$json.body.name`. */
  path: string;
  /** A short rendering of the sample value. */
  sample: string;
}

function short(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

function accessor(key: string): string {
  return IDENT.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** Flattens sample data into insertable paths, up to `depth` levels and 60 entries. */
export function listPaths(prefix: string, value: unknown, depth = 3, out: PickerEntry[] = []): PickerEntry[] {
  if (out.length >= 60) return out;
  out.push({ path: prefix, sample: short(value) });
  if (depth === 0) return out;
  if (isRecord(value)) for (const [k, v] of Object.entries(value)) listPaths(`${prefix}${accessor(k)}`, v, depth - 1, out);
  else if (Array.isArray(value) && value.length > 0) listPaths(`${prefix}[0]`, value[0], depth - 1, out);
  return out;
}

/** Fields every run has, before any test run: what a flow can hand out about itself. */
export const EXECUTION_ENTRIES: readonly PickerEntry[] = [
  { path: '$execution.resumeUrl', sample: 'a link that resumes this run where a Wait (resume) parks it' },
  { path: '$execution.id', sample: 'this run’s id' },
];

/** Insertable paths from the last run's data, by where they come from. */
export function pickerEntries(context: ExpressionContext): { group: string; entries: PickerEntry[] }[] {
  const groups: { group: string; entries: PickerEntry[] }[] = [];
  if (context.$json !== undefined) groups.push({ group: 'This node’s input ($json)', entries: listPaths('$json', context.$json) });
  for (const [id, node] of Object.entries(context.nodes)) {
    groups.push({ group: `${node.label} output`, entries: listPaths(`$node[${JSON.stringify(id)}].json`, node.json, 2) });
  }
  if (context.$trigger !== undefined) groups.push({ group: 'Trigger input ($trigger)', entries: listPaths('$trigger', context.$trigger, 2) });
  return groups;
}

/** Parses `$json.a["b"][0]`-style paths into [root, ...keys]; undefined for anything else. */
export function parsePath(expression: string): { root: string; keys: (string | number)[] } | undefined {
  const text = expression.trim();
  const head = /^\$(json|trigger|vars)|^\$node\[("(?:[^"\\]|\\.)*"|'[^']*')\]\.json/.exec(text);
  if (!head) return undefined;
  const root = head[1] ? `$${head[1]}` : `node:${head[2]!.slice(1, -1)}`;
  const keys: (string | number)[] = [];
  let rest = text.slice(head[0].length);
  while (rest) {
    const m = /^\.([A-Za-z_$][\w$]*)|^\[(\d+)\]|^\[("(?:[^"\\]|\\.)*")\]/.exec(rest);
    if (!m) return undefined;
    keys.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : JSON.parse(m[3]!)));
    rest = rest.slice(m[0].length);
  }
  return { root, keys };
}

function lookup(context: ExpressionContext, root: string): unknown {
  if (root === '$json') return context.$json;
  if (root === '$trigger') return context.$trigger;
  if (root.startsWith('node:')) return context.nodes[root.slice(5)]?.json;
  return undefined;
}

export type Preview = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Preview of a template: a value that is one `{{ path }}` previews as that value (as the runtime
 * keeps its type); mixed text previews as the string with each path filled in.
 */
export function previewTemplate(template: string, context: ExpressionContext): Preview {
  const parts = [...template.matchAll(/\{\{([\s\S]*?)\}\}/g)];
  if (parts.length === 0) return { ok: true, value: template };
  const evaluate = (expr: string): Preview => {
    const path = parsePath(expr);
    if (!path) return { ok: false, reason: 'computed when the flow runs' };
    let value = lookup(context, path.root);
    if (value === undefined) return { ok: false, reason: 'run the flow once to see sample data' };
    for (const key of path.keys) value = isRecord(value) || Array.isArray(value) ? (value as Record<string | number, unknown>)[key] : undefined;
    return { ok: true, value };
  };
  if (parts.length === 1 && parts[0]![0] === template.trim()) return evaluate(parts[0]![1]!);
  let out = '';
  let last = 0;
  for (const part of parts) {
    const result = evaluate(part[1]!);
    if (!result.ok) return result;
    out += template.slice(last, part.index) + (typeof result.value === 'string' ? result.value : JSON.stringify(result.value) ?? '');
    last = part.index! + part[0].length;
  }
  return { ok: true, value: out + template.slice(last) };
}
