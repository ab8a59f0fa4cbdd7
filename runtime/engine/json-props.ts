import { z } from 'zod';

/** Where a JSON value was set aside, and the value. */
type SetAside = [path: readonly (string | number)[], value: unknown];

const JSON_OPTION_TYPES = 'string,number,boolean,null,array,record';
const jsonSchemas = new WeakMap<z.core.$ZodType, boolean>();

/** Whether `schema` is `z.json()`: a lazy union of the six JSON kinds. */
function isJsonSchema(schema: z.core.$ZodType): boolean {
  let known = jsonSchemas.get(schema);
  if (known === undefined) {
    const inner = schema instanceof z.ZodLazy ? schema.unwrap() : undefined;
    known = inner instanceof z.ZodUnion && inner.options.map((o) => o._zod.def.type).join(',') === JSON_OPTION_TYPES;
    jsonSchemas.set(schema, known);
  }
  return known;
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  while (current instanceof z.ZodDefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap();
  return current;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setAside(schema: z.core.$ZodType, value: unknown, path: readonly (string | number)[], out: SetAside[]): unknown {
  if (value === undefined || value === null) return value;
  const inner = unwrap(schema);
  if (isJsonSchema(inner)) {
    out.push([path, value]);
    return null;
  }
  if (inner instanceof z.ZodObject && isPlainObject(value)) {
    const copy: Record<string, unknown> = { ...value };
    for (const [key, child] of Object.entries(inner.shape)) {
      if (key in copy) copy[key] = setAside(child, copy[key], [...path, key], out);
    }
    return copy;
  }
  if (inner instanceof z.ZodArray && Array.isArray(value)) {
    return value.map((item, index) => setAside(inner.element, item, [...path, index], out));
  }
  return value;
}

function putBack(target: unknown, path: readonly (string | number)[], value: unknown): void {
  let node: unknown = target;
  for (const [index, key] of path.entries()) {
    if (typeof node !== 'object' || node === null) return;
    if (index === path.length - 1) Reflect.set(node, key, value);
    else node = Reflect.get(node, key);
  }
}

/**
 * Parses resolved props with `schema`, without walking the values of `z.json()` fields. Those come
 * from expressions (JSON text from the sandbox) or from the saved flow (checked when it was saved),
 * so they are JSON already; zod checked and copied them value by value, which was the largest cost
 * in the worker for an 800 KB payload (~45 ms a step). They are parsed as null and put back as they are.
 */
export function parseResolvedProps(schema: z.core.$ZodType, resolved: unknown): z.ZodSafeParseResult<unknown> {
  const asideValues: SetAside[] = [];
  const light = isJsonSchema(unwrap(schema)) ? resolved : setAside(schema, resolved, [], asideValues);
  const parsed = z.safeParse(schema, light);
  if (parsed.success) for (const [path, value] of asideValues) putBack(parsed.data, path, value);
  return parsed;
}
