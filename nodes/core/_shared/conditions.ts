import { z } from 'zod';
import { NonRetryableError, ui, type Json } from '@switchyard/sdk';

/**
 * The condition engine shared by If and Switch.
 *
 * Values arrive already resolved (`{{ $json.total }}` keeps its type), so a condition compares JSON
 * values. Coercion rules, applied the same way everywhere:
 *
 * - **Numbers**: a number, or a string that is a finite decimal number after trimming (`" 42 "`, `"-1.5"`,
 *   `"1e3"`), is *numeric*. When both sides are numeric they are compared as numbers, so `"10" > "9"` and
 *   `5 equals "5.0"`.
 * - **Booleans**: `true`/`false` and the strings `"true"`/`"false"` (any case) compare as booleans when the
 *   other side is a boolean.
 * - **Dates**: for `gt`/`gte`/`lt`/`lte`, two non-numeric strings that both parse as ISO dates compare as
 *   instants; other strings compare by code point.
 * - **Missing**: `undefined` and `null` are equal to each other and to nothing else.
 * - **Objects/arrays**: `equals` compares them structurally (key order ignored).
 * - Operators that need text (`startsWith`, `endsWith`, `regex`, string `contains`) read numbers and
 *   booleans as their text; objects, arrays and missing values never match.
 */

export const OPERATORS = [
  'equals', 'notEquals', 'contains', 'notContains', 'startsWith', 'endsWith',
  'gt', 'gte', 'lt', 'lte', 'isEmpty', 'isNotEmpty', 'isTrue', 'isFalse', 'exists', 'regex',
] as const;
export type Operator = (typeof OPERATORS)[number];

/** Operators that ignore `right`; the editor hides the field for them. */
export const UNARY_OPERATORS: readonly Operator[] = ['isEmpty', 'isNotEmpty', 'isTrue', 'isFalse', 'exists'];

const operatorLabels: Record<Operator, string> = {
  equals: 'is equal to', notEquals: 'is not equal to', contains: 'contains', notContains: 'does not contain',
  startsWith: 'starts with', endsWith: 'ends with', gt: 'is greater than', gte: 'is greater than or equal to',
  lt: 'is less than', lte: 'is less than or equal to', isEmpty: 'is empty', isNotEmpty: 'is not empty',
  isTrue: 'is true', isFalse: 'is false', exists: 'exists', regex: 'matches regex',
};

export const conditionSchema = z.object({
  /** The value to test, usually an expression such as `{{ $json.status }}`. */
  left: ui(z.json().optional(), {
    title: 'Value', description: 'The value to test, usually an expression such as {{ $json.status }}', widget: 'json', expression: true,
  }),
  /** Default: 'equals'. */
  operator: ui(z.enum(OPERATORS).default('equals'), {
    title: 'Operator', description: 'How to compare the value', enumLabels: operatorLabels,
  }),
  /** What to compare against; ignored by isEmpty, isNotEmpty, isTrue, isFalse and exists. For regex: `pattern` or `/pattern/flags`. */
  right: ui(z.json().optional(), {
    title: 'Compare to', description: 'Ignored by the is… and exists operators; for regex, a pattern or /pattern/flags',
    widget: 'json', expression: true,
  }),
});
export type Condition = z.infer<typeof conditionSchema>;

export const conditionListSchema = ui(z.array(conditionSchema).min(1, 'add at least one condition'), {
  title: 'Conditions', description: 'Tests applied to the incoming message',
});

/** Default: 'all'. */
export const combineSchema = ui(z.enum(['all', 'any']).default('all'), {
  title: 'Combine', description: 'Whether every condition or any one of them must hold',
  enumLabels: { all: 'All conditions must match (AND)', any: 'Any condition may match (OR)' },
});
export type Combine = z.infer<typeof combineSchema>;

type Value = Json | undefined;

function asNumber(value: Value): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const text = value.trim();
    // Number('') is 0 and Number('0x1f') is 31: only plain decimal text counts as numeric.
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return undefined;
    return Number(text);
  }
  return undefined;
}

function asBoolean(value: Value): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true') return true;
    if (text === 'false') return false;
  }
  return undefined;
}

function asText(value: Value): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function asDate(value: Value): number | undefined {
  // Only strings that look like ISO dates: Date.parse accepts far too much ("1", "May").
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value.trim())) return undefined;
  const time = Date.parse(value.trim());
  return Number.isNaN(time) ? undefined : time;
}

function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => deepEqual(item, b[index]));
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}

/** Equality with the coercions documented above. */
export function looselyEqual(left: Value, right: Value): boolean {
  const missingLeft = left === undefined || left === null;
  const missingRight = right === undefined || right === null;
  if (missingLeft || missingRight) return missingLeft && missingRight;
  const numbers = [asNumber(left), asNumber(right)];
  if (numbers[0] !== undefined && numbers[1] !== undefined) return numbers[0] === numbers[1];
  if (typeof left === 'boolean' || typeof right === 'boolean') {
    const booleans = [asBoolean(left), asBoolean(right)];
    return booleans[0] !== undefined && booleans[0] === booleans[1];
  }
  return deepEqual(left, right);
}

/** -1/0/1, or undefined when the two values have no order (e.g. an object and a number). */
function compare(left: Value, right: Value): number | undefined {
  const a = asNumber(left);
  const b = asNumber(right);
  if (a !== undefined && b !== undefined) return Math.sign(a - b);
  const dateA = asDate(left);
  const dateB = asDate(right);
  if (dateA !== undefined && dateB !== undefined) return Math.sign(dateA - dateB);
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  return undefined;
}

function contains(left: Value, right: Value): boolean {
  if (Array.isArray(left)) return left.some((item) => looselyEqual(item, right));
  if (left !== null && typeof left === 'object') {
    const key = asText(right);
    return key !== undefined && Object.hasOwn(left, key);
  }
  const text = asText(left);
  const needle = asText(right);
  return text !== undefined && needle !== undefined && text.includes(needle);
}

function isEmpty(value: Value): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/** Compiles `pattern` or `/pattern/flags`; a bad pattern is a configuration error, not worth retrying. */
export function compileRegex(pattern: Value): RegExp {
  const source = asText(pattern);
  if (source === undefined) throw new NonRetryableError('regex: the pattern must be a string', { code: 'invalid_regex' });
  const literal = /^\/([\s\S]*)\/([a-z]*)$/.exec(source);
  try {
    return literal ? new RegExp(literal[1] ?? '', literal[2]) : new RegExp(source);
  } catch (error) {
    throw new NonRetryableError(`regex: invalid pattern ${JSON.stringify(source)}: ${(error as Error).message}`, {
      code: 'invalid_regex', cause: error,
    });
  }
}

export function evaluateCondition(condition: Condition): boolean {
  const { left, right } = condition;
  switch (condition.operator) {
    case 'equals': return looselyEqual(left, right);
    case 'notEquals': return !looselyEqual(left, right);
    case 'contains': return contains(left, right);
    case 'notContains': return !contains(left, right);
    case 'startsWith': {
      const text = asText(left);
      const prefix = asText(right);
      return text !== undefined && prefix !== undefined && text.startsWith(prefix);
    }
    case 'endsWith': {
      const text = asText(left);
      const suffix = asText(right);
      return text !== undefined && suffix !== undefined && text.endsWith(suffix);
    }
    case 'gt': return (compare(left, right) ?? Number.NaN) > 0;
    case 'gte': return (compare(left, right) ?? Number.NaN) >= 0;
    case 'lt': return (compare(left, right) ?? Number.NaN) < 0;
    case 'lte': return (compare(left, right) ?? Number.NaN) <= 0;
    case 'isEmpty': return isEmpty(left);
    case 'isNotEmpty': return !isEmpty(left);
    case 'isTrue': return asBoolean(left) === true;
    case 'isFalse': return asBoolean(left) === false;
    case 'exists': return left !== undefined && left !== null;
    case 'regex': {
      // Compile first so a broken pattern fails even when the value is missing.
      const regex = compileRegex(right);
      const text = asText(left);
      return text !== undefined && regex.test(text);
    }
  }
}

/** `all` of no conditions is true and `any` of none is false, as in logic; schemas require at least one. */
export function evaluateConditions(conditions: readonly Condition[], combine: Combine): boolean {
  return combine === 'all' ? conditions.every(evaluateCondition) : conditions.some(evaluateCondition);
}
