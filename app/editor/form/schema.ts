/**
 * Reading the props JSON Schema (with the SDK's UI hints) for the form renderer: which widget a
 * property gets, its label, and the inline checks that can run in the browser. The server's
 * validator stays the authority; these checks only make mistakes visible while typing.
 */

export type JsonSchema = Record<string, unknown>;

export type FieldKind =
  | 'text' | 'textarea' | 'number' | 'boolean' | 'enum' | 'multi' | 'key-value' | 'json' | 'code' | 'cron' | 'object' | 'list';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows a local `$ref` (`#/$defs/x`), keeping the referring schema's own keywords (title, widget…). */
export function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema;
  let target: unknown = root;
  for (const part of ref.slice(2).split('/')) target = isRecord(target) ? target[part] : undefined;
  const { $ref: _ref, ...own } = schema;
  return isRecord(target) ? { ...target, ...own } : own;
}

function types(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type.filter((t): t is string => typeof t === 'string');
  return typeof schema.type === 'string' ? [schema.type] : [];
}

/** The widget for a property; hints win over what the type implies. */
export function fieldKind(schema: JsonSchema): FieldKind {
  const widget = schema.widget;
  if (widget === 'code' || widget === 'cron' || widget === 'json' || widget === 'textarea' || widget === 'key-value') return widget;
  if (Array.isArray(schema.enum)) return 'enum';
  const t = types(schema);
  if (t.includes('boolean')) return 'boolean';
  if (t.includes('number') || t.includes('integer')) return 'number';
  if (t.includes('string')) return 'text';
  if (t.includes('array')) {
    const items = isRecord(schema.items) ? schema.items : {};
    if (Array.isArray(items.enum)) return 'multi';
    if (isKeyValueItem(items)) return 'key-value';
    if (isRecord(items.properties)) return 'list';
    return 'json';
  }
  if (t.includes('object') && isRecord(schema.properties)) return 'object';
  return 'json';
}

function isKeyValueItem(items: JsonSchema): boolean {
  const props = isRecord(items.properties) ? Object.keys(items.properties) : [];
  return props.length === 2 && props.includes('name') && props.includes('value');
}

export function isInteger(schema: JsonSchema): boolean {
  return types(schema).includes('integer');
}

/** `customerName` → `Customer name` when the schema has no title. */
export function fieldTitle(name: string, schema: JsonSchema): string {
  if (typeof schema.title === 'string' && schema.title) return schema.title;
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Whether a string field may hold `{{ … }}` (the catalog fills the hint in for every string). */
export function allowsExpression(schema: JsonSchema): boolean {
  return schema.expression === true;
}

export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.includes('{{');
}

export function enumLabel(schema: JsonSchema, value: unknown): string {
  const labels = isRecord(schema.enumLabels) ? schema.enumLabels : {};
  const label = labels[String(value)];
  return typeof label === 'string' ? label : String(value);
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** The first problem with a value the browser can see on its own, in words; undefined if none. */
export function checkValue(schema: JsonSchema, value: unknown, required: boolean): string | undefined {
  if (isEmpty(value)) return required && schema.default === undefined ? 'Required' : undefined;
  if (isExpression(value)) return undefined; // its value is only known when the flow runs
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) return `At least ${schema.minLength} characters`;
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) return `At most ${schema.maxLength} characters`;
    if (typeof schema.pattern === 'string') {
      try {
        if (!new RegExp(schema.pattern, 'u').test(value)) return 'This format is not accepted here';
      } catch {
        // A pattern the browser's engine cannot read: leave it to the server.
      }
    }
    if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return 'Pick one of the options';
  }
  if (typeof value === 'number') {
    if (isInteger(schema) && !Number.isInteger(value)) return 'Use a whole number';
    if (typeof schema.minimum === 'number' && value < schema.minimum) return `Use ${schema.minimum} or more`;
    if (typeof schema.maximum === 'number' && value > schema.maximum) return `Use ${schema.maximum} or less`;
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) return `Use more than ${schema.exclusiveMinimum}`;
  }
  if (Array.isArray(value) && typeof schema.minItems === 'number' && value.length < schema.minItems) return `Add at least ${schema.minItems}`;
  return undefined;
}

/**
 * Text typed into a JSON field, read the friendly way: `{…}`/`[…]` must be JSON, `true`/`false`/
 * `null` and numbers are those values, anything else is a string (no quotes needed).
 */
export function readLooseJson(text: string): { value: unknown } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { value: undefined };
  if (/^[[{"]/.test(trimmed)) {
    try {
      return { value: JSON.parse(trimmed) };
    } catch (e) {
      return { error: `Not valid JSON: ${e instanceof Error ? e.message : 'parse error'}` };
    }
  }
  if (trimmed === 'true') return { value: true };
  if (trimmed === 'false') return { value: false };
  if (trimmed === 'null') return { value: null };
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(trimmed)) return { value: Number(trimmed) };
  return { value: text };
}

export function showLooseJson(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}
