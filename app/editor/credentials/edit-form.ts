import type { CredentialDetail, CredentialFieldsPatch } from '../../../runtime/services/types.js';
import { isRecord, type JsonSchema } from '../form/schema';
import type { Problem } from '../api';

/** What a secret that holds a value says in the edit form (the value itself never reaches the browser). */
export const SECRET_SET_HINT = 'Set. Leave empty to keep it; type a new value to replace it.';

/**
 * The kind's schema as the edit form renders it: a secret field that is set is no longer required
 * (leaving it empty keeps it) and says that it is set. Everything else is the kind's own schema.
 */
export function editSchema(schema: JsonSchema, secretsSet: readonly string[]): JsonSchema {
  const properties = isRecord(schema.properties) ? { ...schema.properties } : {};
  for (const name of secretsSet) {
    const prop = properties[name];
    if (!isRecord(prop)) continue;
    const help = typeof prop.description === 'string' ? `${SECRET_SET_HINT} ${prop.description}` : SECRET_SET_HINT;
    properties[name] = { ...prop, placeholder: '•••••••• (set)', description: help };
  }
  const required = Array.isArray(schema.required) ? schema.required.filter((name) => !secretsSet.includes(String(name))) : undefined;
  return { ...schema, properties, ...(required ? { required } : {}) };
}

/**
 * What to send for the typed form: the fields that changed (a typed secret always has), `null` for
 * a plain field that was cleared. A secret left empty is not sent, so the server keeps it.
 */
export function fieldsPatch(detail: Pick<CredentialDetail, 'fields'>, data: Readonly<Record<string, unknown>>): CredentialFieldsPatch {
  const patch: CredentialFieldsPatch = {};
  for (const name of new Set([...Object.keys(detail.fields), ...Object.keys(data)])) {
    const value = data[name];
    if (value === undefined) {
      if (Object.hasOwn(detail.fields, name)) patch[name] = null;
    } else if (value !== detail.fields[name]) {
      patch[name] = value;
    }
  }
  return patch;
}

/** The server's field problems (`path: ['data', field]`) by field, as the form shows errors. */
export function fieldErrors(problems: readonly Problem[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const problem of problems) {
    const path = problem.path ?? [];
    if (path[0] !== 'data' || path.length < 2) continue;
    errors[path.slice(1).join('.')] = problem.message;
  }
  return errors;
}
