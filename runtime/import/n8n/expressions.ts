import { parseTemplate } from '../../expressions/template.js';

/**
 * n8n expressions → Switchyard `{{ … }}` templates (DESIGN §5).
 *
 * n8n marks an expression parameter with a leading `=` and embeds `{{ … }}` in it; the JavaScript
 * inside sees the current *item* (`$json`), other nodes' items by name (`$('Name').item.json`,
 * `$node["Name"].json`), the input list (`$input.first()`, `$input.all()`), Luxon dates (`$now`) and
 * more. Ours sees one message (`$json`), earlier outputs by node id (`$node["id"].json`), `$vars` and
 * `$execution`. The rewrites below are textual and conservative: what has no faithful equivalent is
 * left as written and reported, never guessed.
 */

/** How one n8n value was carried over. */
export interface ExpressionOutcome {
  /** The value for our props. */
  value: string;
  /** `{{ … }}` expressions found in the n8n value. */
  expressions: number;
  /** Of those, how many carry over with the same meaning (changed or not). */
  translated: number;
  /** Each rewrite, in words: `$('Get user').item.json → $node["get_user"].json`. */
  rewrites: string[];
  /** What could not be translated and stays as written (the step will fail or differ). */
  untranslated: string[];
  /** Where n8n's item lists make the result differ from ours. */
  itemSemantics: string[];
}

/** What the translator needs to know about the workflow. */
export interface ExpressionScope {
  /** n8n node name → our node id. */
  idOf(name: string): string | undefined;
  /**
   * Where n8n's output of the node feeding this one sits in our message: `''` (same shape), `.body`
   * (an HTTP request: we output `{ status, headers, body }`), `.raw` (a channel trigger: the
   * provider's payload, next to our normalised fields).
   */
  inputPrefix: string;
  /** The same for a named n8n node. */
  prefixOf(name: string): string;
  /**
   * Top-level fields of a named node's output that have another name here (n8n's AI Agent answers in
   * `output`, ours in `text`): `[n8nPath, ourPath]` pairs. Default: none.
   */
  fieldsOf?(name: string): readonly (readonly [string, string])[] | undefined;
  /** The same for the node feeding this one (when all its inputs agree). Default: none. */
  inputFields?: readonly (readonly [string, string])[];
}

/** A property path after a reference (`.output.text`), captured so renamed fields can be rewritten. */
const TAIL = String.raw`((?:\s*\.\s*[A-Za-z_$][\w$]*)*)`;

/** `.output.x` → `.text.x` when `output` is renamed to `text`. */
function renamed(tail: string, fields: readonly (readonly [string, string])[] | undefined): string {
  const path = tail.replace(/\s+/g, '');
  for (const [from, to] of fields ?? []) {
    if (path === `.${from}` || path.startsWith(`.${from}.`)) return `.${to}${path.slice(from.length + 1)}`;
  }
  return path;
}

const NAME = String.raw`(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')`;
const nameOf = (double: string | undefined, single: string | undefined) => unescape(double ?? single ?? '');

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

/** n8n constructs with no equivalent here: stay as written, reported by name. */
const UNSUPPORTED: [RegExp, string][] = [
  [/\$fromAI\s*\(/, '$fromAI() (AI tool parameters)'],
  [/\$(?:prevNode|runIndex|itemIndex|position)\b/, 'n8n run metadata ($prevNode, $runIndex, $itemIndex)'],
  [/\$jmespath\s*\(|\$jmesPath\s*\(/, '$jmespath()'],
  [/\bDateTime\.|\$today\b|\$now\s*\.(?!toISO\(\)|toMillis\(\))/, 'Luxon dates (DateTime, $today, $now.format/plus/…)'],
  [/\$binary\b|\.binary\b/, 'binary data'],
  [/\.parameter\b|\.params\b/, "another node's parameters"],
  [/\.context\s*[[.]|\$getWorkflowStaticData\s*\(/, "a node's context or static data (e.g. Split in Batches' noItemsLeft)"],
  [/\$(?:evaluateExpression|ifEmpty)\s*\(/, 'n8n helper functions ($ifEmpty, $evaluateExpression)'],
  [/\.(?:isEmpty|isNotEmpty|toNumber|toInt|toFloat|extractEmail|extractUrl|extractDomain|toDateTime|toSnakeCase|toCamelCase|toSentenceCase|toTitleCase|removeTags|removeMarkdown|urlEncode|urlDecode|base64Encode|base64Decode|isEmail|isUrl|isNumeric|replaceSpecialChars|compact|pluck|unique|chunk|randomItem|renameKeys|removeField|hasField|isBlank|first|last)\(/, 'n8n data transformation functions (.isEmpty(), .toNumber(), .first(), …)'],
  [/\$credentials\b/, '$credentials'],
];

/** Translates one JavaScript expression (the inside of `{{ … }}`). */
export function translateExpression(source: string, scope: ExpressionScope): Omit<ExpressionOutcome, 'value' | 'expressions' | 'translated'> & { source: string; ok: boolean } {
  const rewrites: string[] = [];
  const untranslated: string[] = [];
  const itemSemantics: string[] = [];
  let text = source;
  // Rewritten references are parked as tokens so later rules (and the final check) never read them again.
  const produced: string[] = [];
  const park = (result: string) => `\uE000${produced.push(result) - 1}\uE000`;
  const replace = (pattern: RegExp, to: (...groups: string[]) => string | undefined, note?: (from: string, result: string) => void) => {
    text = text.replace(pattern, (match: string, ...groups: string[]) => {
      const result = to(...groups);
      if (result === undefined) return match;
      const shown = result.replace(/\uE000(\d+)\uE000/g, (_m, index: string) => produced[Number(index)]!);
      if (shown !== match) (note ?? ((f, r) => rewrites.push(`${f} → ${r}`)))(match, shown);
      return result;
    });
  };
  const ref = (name: string, tail: string) => {
    const id = scope.idOf(name);
    if (id === undefined) {
      untranslated.push(`a reference to "${name}", which is not a node of this workflow`);
      return undefined;
    }
    return park(`$node[${JSON.stringify(id)}].json${scope.prefixOf(name)}${renamed(tail, scope.fieldsOf?.(name))}`);
  };

  // $('Name').item.json / .first().json / .last().json / .all()[0].json / .itemMatching(n).json
  replace(new RegExp(String.raw`\$\(\s*${NAME}\s*\)\s*\.\s*(?:item|first\(\s*\)|last\(\s*\)|all\(\s*\)\s*\[\s*0\s*\]|itemMatching\([^()]*\))\s*\.\s*json\b${TAIL}`, 'g'),
    (d, s, tail) => ref(nameOf(d, s), tail ?? ''));
  // $('Name').all() / $items("Name"): a list of items; here one message.
  replace(new RegExp(String.raw`(?:\$\(\s*${NAME}\s*\)\s*\.\s*all\(\s*\)|\$items\(\s*${NAME}\s*\))`, 'g'), (d1, s1, d2, s2) => {
    const name = nameOf(d1 ?? d2, s1 ?? s2);
    const r = ref(name, '');
    if (r === undefined) return undefined;
    itemSemantics.push(`all items of "${name}" become a list with its one message`);
    return `[{ json: ${r} }]`;
  });
  // $('Name').isExecuted
  replace(new RegExp(String.raw`\$\(\s*${NAME}\s*\)\s*\.\s*isExecuted\b`, 'g'), (d, s) => {
    const id = scope.idOf(nameOf(d, s));
    return id === undefined ? undefined : park(`($node[${JSON.stringify(id)}] !== undefined)`);
  });
  // $node["Name"].json / $node.Name.json
  replace(new RegExp(String.raw`\$node\s*\[\s*${NAME}\s*\]\s*\.\s*json\b${TAIL}`, 'g'), (d, s, tail) => ref(nameOf(d, s), tail ?? ''));
  replace(new RegExp(String.raw`\$node\.([A-Za-z_$][\w$]*)\.json\b${TAIL}`, 'g'), (name, tail) => ref(name!, tail ?? ''));
  // $input.first().json, $input.item.json, $input.last().json, $input.all()[0].json, items[0].json
  const inputJson = `$json${scope.inputPrefix}`;
  replace(new RegExp(String.raw`\$input\s*\.\s*(?:item|first\(\s*\)|last\(\s*\)|all\(\s*\)\s*\[\s*0\s*\])\s*\.\s*json\b${TAIL}`, 'g'),
    (tail) => park(`${inputJson}${renamed(tail ?? '', scope.inputFields)}`));
  replace(/\$input\s*\.\s*all\(\s*\)/g, () => park(`[{ json: ${inputJson} }]`), (from, to) => {
    rewrites.push(`${from} → ${to}`);
    itemSemantics.push('$input.all() is the one incoming message here, not a list of items');
  });
  replace(new RegExp(String.raw`\bitems\s*\[\s*0\s*\]\s*\.\s*json\b${TAIL}`, 'g'), (tail) => park(`${inputJson}${renamed(tail ?? '', scope.inputFields)}`));
  if (scope.inputFields && scope.inputFields.length > 0) {
    replace(/\$json((?:\s*\.\s*[A-Za-z_$][\w$]*)+)/g, (tail) => `$json${renamed(tail!, scope.inputFields)}`,
      (from, to) => rewrites.push(`${from} → ${to} (the AI step's answer has this name here)`));
  }
  if (scope.inputPrefix !== '') {
    const prefix = scope.inputPrefix;
    replace(new RegExp(String.raw`\$json\b(?!${prefix.replace('.', '\\.')}\b)`, 'g'), () => `$json${prefix}`,
      (from, to) => rewrites.push(`${from} → ${to} (${prefix === '.body' ? "an HTTP request's response body is under body here" : "the provider's payload is under raw here"})`));
  }
  // Dates and metadata.
  replace(/\$now\s*\.\s*toISO\(\s*\)|\$now\b(?!\s*\.)/g, () => 'new Date().toISOString()');
  replace(/\$now\s*\.\s*toMillis\(\s*\)/g, () => 'Date.now()');
  replace(/\$env\s*\.\s*([A-Za-z_]\w*)|\$env\s*\[\s*(["'])([^"']+)\2\s*\]/g, (a, _q, b) => `$vars[${JSON.stringify(a ?? b)}]`,
    (from, to) => rewrites.push(`${from} → ${to} (n8n environment variables become workspace variables)`));
  replace(/\$workflow\s*\.\s*id\b/g, () => '$execution.flowId');
  replace(/\$execution\s*\.\s*(id|resumeUrl)\b/g, (what) => `$execution.${what}`);
  replace(/\$vars\s*\.\s*([A-Za-z_]\w*)/g, (name) => `$vars.${name}`);

  for (const [pattern, what] of UNSUPPORTED) if (pattern.test(text)) untranslated.push(what);
  if (/\$\(\s*["']|\$input\b|\$items\s*\(|\$workflow\b|\$execution\.(?!id\b|flowId\b|resumeUrl\b|mode\b)/.test(text)) {
    untranslated.push('an n8n item or workflow reference with no equivalent here');
  }
  text = text.replace(/\uE000(\d+)\uE000/g, (_m, index: string) => produced[Number(index)]!);
  // Rewrites add `.json.body`; fold the `.body.body` an explicit `.body` after an HTTP node would make.
  text = text.replace(/\.json\.body\.body\b/g, '.json.body').replace(/\.json\.raw\.raw\b/g, '.json.raw');
  return { source: text, ok: untranslated.length === 0, rewrites, untranslated: [...new Set(untranslated)], itemSemantics };
}

/**
 * Translates an n8n parameter string. `=…` is a template whose `{{ … }}` are translated; anything
 * else is literal text in n8n, so a literal that happens to contain `{{` is quoted to stay literal.
 */
export function translateValue(value: string, scope: ExpressionScope): ExpressionOutcome {
  if (!value.startsWith('=')) {
    if (!value.includes('{{') || !parseTemplate(value).some((p) => p.kind === 'expression')) {
      return { value, expressions: 0, translated: 0, rewrites: [], untranslated: [], itemSemantics: [] };
    }
    return {
      value: `{{ ${JSON.stringify(value)} }}`, expressions: 0, translated: 0,
      rewrites: [`literal text with {{ … }} quoted so it stays literal (n8n did not evaluate it without a leading =)`],
      untranslated: [], itemSemantics: [],
    };
  }
  const template = value.slice(1);
  const outcome: ExpressionOutcome = { value: '', expressions: 0, translated: 0, rewrites: [], untranslated: [], itemSemantics: [] };
  const parts: string[] = [];
  for (const part of parseTemplate(template)) {
    if (part.kind === 'text') {
      parts.push(part.text);
      continue;
    }
    outcome.expressions += 1;
    const result = translateExpression(part.source, scope);
    if (result.ok) outcome.translated += 1;
    outcome.rewrites.push(...result.rewrites);
    outcome.untranslated.push(...result.untranslated);
    outcome.itemSemantics.push(...result.itemSemantics);
    parts.push(`{{ ${result.source} }}`);
  }
  outcome.value = parts.join('');
  return outcome;
}
