/**
 * n8n Code / Function code → our Code node (an async function body over one message, DESIGN §5).
 *
 * Rather than rewriting JavaScript text, the original code runs unchanged inside a wrapper that
 * provides n8n's helpers over this step's one message: `$input.first()/.last()/.item/.all()`,
 * `items`, `item` (Function Item), `$('Node name')`, `$node["Node name"]`, `$items("Node name")` and
 * `$env`. n8n code returns items (`[{ json }]` or plain objects); the wrapper turns one item into
 * the message and several into `{ items: [...] }`.
 */

export interface WrapOptions {
  /** Run once per item (`runOnceForEachItem`, Function Item): `$input.item` is the message. */
  perItem: boolean;
  /** Function Item: the message is `item`, and the code returns the item. */
  legacyItem: boolean;
  /** n8n node name → our node id. */
  idOf(name: string): string | undefined;
}

const REFERENCE = /\$\(\s*(["'])((?:\\.|(?!\1).)*)\1\s*\)|\$node\s*\[\s*(["'])((?:\\.|(?!\3).)*)\3\s*\]|\$items\(\s*(["'])((?:\\.|(?!\5).)*)\5/g;

export function wrapCode(source: string, options: WrapOptions): { code: string; notes: string[] } {
  const ids: Record<string, string> = {};
  const missing: string[] = [];
  for (const match of source.matchAll(REFERENCE)) {
    const name = (match[2] ?? match[4] ?? match[6] ?? '').replace(/\\(.)/g, '$1');
    const id = options.idOf(name);
    if (id === undefined) missing.push(name);
    else ids[name] = id;
  }
  const notes = ['the code runs unchanged inside a wrapper that provides n8n\'s $input, items, $(…), $node[…] and $env over the one incoming message'];
  if (Object.keys(ids).length > 0) notes.push(`node names resolved to ids: ${Object.entries(ids).map(([n, id]) => `"${n}" → ${id}`).join(', ')}`);
  if (missing.length > 0) notes.push(`references to nodes not in this workflow: ${[...new Set(missing)].join(', ')}`);
  if (/\$now\b|\$today\b|DateTime\./.test(source)) notes.push('uses Luxon dates ($now, $today, DateTime), which do not exist here; use Date');
  if (/\$binary|\.binary\b|getBinaryDataBuffer|this\.helpers/.test(source)) notes.push('uses binary data or this.helpers, which do not exist here');
  const code = [
    `// Imported from n8n (${options.legacyItem ? 'Function Item' : options.perItem ? 'Code, run once for each item' : 'Code, run once for all items'}). The original code is below, unchanged;`,
    '// the lines around it provide n8n\'s helpers over this step\'s one message (docs/migrating-from-n8n.md).',
    `const __ids = ${JSON.stringify(ids)};`,
    'const __copy = JSON.parse(JSON.stringify($json ?? null));',
    'const __item = { json: __copy };',
    'const __ref = (name) => { const out = $node[__ids[name] ?? name]; const item = { json: out ? out.json : undefined };',
    '  return { item, first: () => item, last: () => item, all: () => (out ? [item] : []), isExecuted: out !== undefined }; };',
    // The original code sits in a block of its own, so its own `const item` or `let items` shadow the helpers instead of clashing with them.
    'const __result = await (async ($input, items, item, $, $node, $items, $env, $json) => { {',
    source,
    '} })({ item: __item, first: () => __item, last: () => __item, all: () => [__item] }, [__item], __copy, __ref,',
    '  new Proxy({}, { get: (_target, name) => __ref(String(name)).item }), (name) => __ref(name).all(), $vars, __copy);',
    'const __json = (value) => (value !== null && typeof value === \'object\' && !Array.isArray(value) && \'json\' in value ? value.json : value);',
    'if (Array.isArray(__result)) return __result.length === 1 ? __json(__result[0]) : { items: __result.map(__json) };',
    'return __result === undefined ? __copy : __json(__result);',
  ].join('\n');
  return { code, notes };
}
