import type { Json } from '@switchyard/sdk';
import { isRecord, Unmappable, type MapContext, type Mapped, type Mapper } from './types.js';

/** Our condition operators (nodes/core/_shared/conditions.ts). */
type Operator = 'equals' | 'notEquals' | 'contains' | 'notContains' | 'startsWith' | 'endsWith' | 'gt' | 'gte' | 'lt' | 'lte'
  | 'isEmpty' | 'isNotEmpty' | 'isTrue' | 'isFalse' | 'exists' | 'regex';

/** n8n operations (v1 names and v2 filter names) with a direct equivalent. */
const DIRECT: Record<string, Operator> = {
  equal: 'equals', equals: 'equals', notEqual: 'notEquals', notEquals: 'notEquals', contains: 'contains', notContains: 'notContains',
  startsWith: 'startsWith', endsWith: 'endsWith', regex: 'regex', larger: 'gt', gt: 'gt', largerEqual: 'gte', gte: 'gte',
  smaller: 'lt', lt: 'lt', smallerEqual: 'lte', lte: 'lte', isEmpty: 'isEmpty', empty: 'isEmpty', isNotEmpty: 'isNotEmpty',
  notEmpty: 'isNotEmpty', true: 'isTrue', false: 'isFalse', exists: 'exists', after: 'gt', before: 'lt', afterOrEquals: 'gte',
  beforeOrEquals: 'lte',
};

/** Negated text operations: expressed as an expression that is true or false. */
const NEGATED: Record<string, string> = { notStartsWith: 'startsWith', notEndsWith: 'endsWith', notRegex: 'regex', notExists: 'exists' };

/** The inside of a translated value, for building a JavaScript expression around it. */
function asJs(value: Json): string {
  if (typeof value === 'string') {
    const whole = /^\{\{\s*([\s\S]*?)\s*\}\}$/.exec(value);
    if (whole && !whole[1]!.includes('}}')) return `(${whole[1]})`;
    return JSON.stringify(value);
  }
  return JSON.stringify(value);
}

function condition(ctx: MapContext, leftRaw: Json | undefined, op: string, rightRaw: Json | undefined, type: string): Json {
  const left = ctx.value(leftRaw ?? null, 'condition value');
  const right = ctx.value(rightRaw ?? null, 'condition comparison');
  if (type === 'boolean' && (op === 'equal' || op === 'equals' || op === 'notEqual' || op === 'notEquals') && typeof right === 'boolean') {
    const positive = (op === 'equal' || op === 'equals') === right;
    return { left, operator: positive ? 'isTrue' : 'isFalse' };
  }
  if ((type === 'array' || type === 'object') && (op === 'lengthEquals' || op === 'lengthGt' || op === 'lengthLt' || op === 'lengthGte' || op === 'lengthLte' || op === 'lengthNotEquals')) {
    const cmp = { lengthEquals: '===', lengthNotEquals: '!==', lengthGt: '>', lengthLt: '<', lengthGte: '>=', lengthLte: '<=' }[op];
    ctx.change(`${type} ${op} → an expression comparing the length`);
    return { left: `{{ (${asJs(left)} ?? []).length ${cmp} Number(${asJs(right)}) }}`, operator: 'isTrue' };
  }
  const direct = DIRECT[op];
  if (direct) {
    if (type === 'dateTime' && (direct === 'gt' || direct === 'lt' || direct === 'gte' || direct === 'lte')) ctx.change(`date ${op} → ${direct} (ISO dates compare as instants)`);
    return direct === 'isEmpty' || direct === 'isNotEmpty' || direct === 'isTrue' || direct === 'isFalse' || direct === 'exists'
      ? { left, operator: direct }
      : { left, operator: direct, right };
  }
  const negated = NEGATED[op];
  if (negated) {
    const test = negated === 'exists' ? `${asJs(left)} === undefined || ${asJs(left)} === null`
      : negated === 'regex' ? `!new RegExp(${asJs(right)}).test(String(${asJs(left)}))`
        : `!String(${asJs(left)}).${negated}(String(${asJs(right)}))`;
    ctx.change(`${op} → an expression that is true when it holds`);
    return { left: `{{ ${test} }}`, operator: 'isTrue' };
  }
  throw new Unmappable(`the condition operation ${type} ${op} has no equivalent`);
}

/** n8n conditions (v1 `{ string: [...], number: [...] }` or v2 filter `{ conditions, combinator }`) → ours. */
export function conditions(ctx: MapContext, raw: Json | undefined, combineV1: Json | undefined): { conditions: Json[]; combine: 'all' | 'any' } {
  const out: Json[] = [];
  if (isRecord(raw) && Array.isArray(raw.conditions)) {
    const options = isRecord(raw.options) ? raw.options : {};
    if (options.caseSensitive === false) ctx.warn('n8n compared text ignoring case; here comparisons are case-sensitive');
    for (const c of raw.conditions) {
      if (!isRecord(c)) continue;
      const operator = isRecord(c.operator) ? c.operator : {};
      out.push(condition(ctx, c.leftValue, String(operator.operation ?? 'equals'), c.rightValue, String(operator.type ?? 'string')));
    }
    return { conditions: out, combine: raw.combinator === 'or' ? 'any' : 'all' };
  }
  if (isRecord(raw)) {
    for (const [type, list] of Object.entries(raw)) {
      if (!Array.isArray(list)) continue;
      for (const c of list) if (isRecord(c)) out.push(condition(ctx, c.value1, String(c.operation ?? (type === 'boolean' ? 'equal' : 'equal')), c.value2, type));
    }
  }
  return { conditions: out, combine: combineV1 === 'any' ? 'any' : 'all' };
}

function nonEmpty(list: Json[]): Json[] {
  return list.length > 0 ? list : [{ left: true, operator: 'isTrue' }];
}

const ifNode: Mapper = (ctx): Mapped => {
  const c = conditions(ctx, ctx.params.conditions, ctx.params.combineOperation);
  return { type: 'core.if', props: { conditions: nonEmpty(c.conditions), combine: c.combine }, port: (i) => (i === 0 ? 'true' : i === 1 ? 'false' : undefined) };
};

const filter: Mapper = (ctx): Mapped => {
  const c = conditions(ctx, ctx.params.conditions, ctx.params.combineOperation);
  ctx.items('Filter → If: a matching message goes on "true"; n8n dropped non-matching items, here they go to "false" (unconnected unless n8n kept discarded items)');
  return { type: 'core.if', props: { conditions: nonEmpty(c.conditions), combine: c.combine }, port: (i) => (i === 0 ? 'true' : i === 1 ? 'false' : undefined) };
};

const switchNode: Mapper = (ctx): Mapped => {
  const { params, version } = ctx;
  if (params.mode === 'expression') throw new Unmappable('an output chosen by an expression is not supported; use rules');
  const rules: Json[] = [];
  /** n8n output index → our port. */
  const ports = new Map<number, string>();
  let fallback: number | undefined;
  const options = isRecord(params.options) ? params.options : {};
  if (version >= 3) {
    const list = isRecord(params.rules) && Array.isArray(params.rules.values) ? params.rules.values : [];
    list.forEach((rule, index) => {
      if (!isRecord(rule)) return;
      const c = conditions(ctx, rule.conditions, undefined);
      const port = `out${index}`;
      ports.set(index, port);
      const label = rule.renameOutput === true && typeof rule.outputKey === 'string' ? rule.outputKey.slice(0, 80) : undefined;
      rules.push({ port, ...(label ? { label } : {}), conditions: nonEmpty(c.conditions), combine: c.combine });
    });
    if (options.fallbackOutput === 'extra') fallback = list.length;
    else if (typeof options.fallbackOutput === 'number') fallback = options.fallbackOutput;
  } else {
    const list = isRecord(params.rules) && Array.isArray(params.rules.rules) ? params.rules.rules : [];
    const type = typeof params.dataType === 'string' ? params.dataType : 'number';
    const byOutput = new Map<number, Json[]>();
    list.forEach((rule, index) => {
      if (!isRecord(rule)) return;
      const output = typeof rule.output === 'number' ? rule.output : version >= 2 ? index : 0;
      const c = condition(ctx, params.value1, String(rule.operation ?? 'equal'), rule.value2, type);
      byOutput.set(output, [...(byOutput.get(output) ?? []), c]);
    });
    for (const [output, list2] of [...byOutput.entries()].sort((a, b) => a[0] - b[0])) {
      ports.set(output, `out${output}`);
      rules.push({ port: `out${output}`, conditions: list2, combine: 'any' });
    }
    if (typeof params.fallbackOutput === 'number' && params.fallbackOutput >= 0) fallback = params.fallbackOutput;
  }
  if (fallback !== undefined && ports.has(fallback)) {
    ctx.warn(`n8n also sent unmatched items to output ${fallback}; here they go to "default" (connect it to the same nodes)`);
  }
  if (fallback !== undefined && !ports.has(fallback)) ports.set(fallback, 'default');
  const all = options.allMatchingOutputs === true;
  if (all) ctx.change('all matching outputs → mode "every matching rule"');
  return { type: 'core.switch', props: { rules, mode: all ? 'all' : 'first' }, port: (i) => ports.get(i) };
};

const merge: Mapper = (ctx): Mapped => {
  const { params, version } = ctx;
  const mode = typeof params.mode === 'string' ? params.mode : version >= 3 ? 'append' : 'append';
  if (mode === 'combineBySql') throw new Unmappable('merging with SQL is not supported');
  const ours = mode === 'append' || mode === 'chooseBranch' || mode === 'passThrough' || mode === 'wait' ? 'append' : 'merge';
  if (mode === 'chooseBranch' || mode === 'passThrough' || mode === 'wait') ctx.change(`mode ${mode} → append (both branches listed in { items })`);
  if (ours === 'merge') ctx.change(`mode ${mode}${typeof params.combineBy === 'string' ? ` (${params.combineBy})` : ''} → merge the branches' fields into one object`);
  ctx.items(ours === 'append'
    ? 'n8n appended the item lists of its inputs; here the arriving messages are listed as { items: [first, second] }'
    : 'n8n combined item lists (by position, key or all combinations); here the two arriving messages are merged into one object');
  if (mode === 'mergeByKey' || params.combineBy === 'combineByFields' || params.combinationMode === 'mergeByKey') ctx.warn('matching by key fields is not supported: the two messages are merged as they are');
  return { type: 'core.merge', props: { mode: ours } };
};

const splitInBatches: Mapper = (ctx): Mapped => {
  const loop = ctx.version >= 3;
  const size = typeof ctx.params.batchSize === 'number' ? ctx.params.batchSize : 1;
  ctx.change('Loop Over Items → For each over the incoming message\'s list, one item at a time, with a Collect where n8n looped back');
  ctx.items(`n8n split its incoming items into batches of ${size}; here the list to loop over is $json.items, or the message itself when it is a list (set Items to the list you mean)`);
  return {
    type: 'core.for-each',
    props: { items: '{{ Array.isArray($json) ? $json : Array.isArray($json.items) ? $json.items : [$json] }}', concurrency: 1 },
    port: (i) => (loop ? (i === 1 ? 'item' : undefined) : i === 0 ? 'item' : undefined),
    collect: { port: 'main' },
  };
};

const splitOut: Mapper = (ctx): Mapped => {
  const field = typeof ctx.params.fieldToSplitOut === 'string' ? ctx.params.fieldToSplitOut.split(',')[0]!.trim() : '';
  if (field === '' || field.includes('{{')) throw new Unmappable('the field to split out is missing or an expression');
  ctx.change(`Split Out "${field}" → For each over $json.${field}; add a Collect where the items should come back together`);
  ctx.items('n8n turned one item into many that flowed on separately; here each runs through the For each body in its own scope');
  return { type: 'core.for-each', props: { items: `{{ $json${field.split('.').map((p) => `[${JSON.stringify(p)}]`).join('')} }}`, concurrency: 5 }, port: (i) => (i === 0 ? 'item' : undefined) };
};

export const flowMappers: Record<string, Mapper> = {
  if: ifNode, filter, switch: switchNode, merge, splitInBatches, splitOut,
};
