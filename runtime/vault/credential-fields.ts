import { z } from 'zod';
import type { CredentialKindDefinition } from '@switchyard/sdk';
import { ValidationError, type Problem } from '../errors.js';
import type { CredentialFieldsPatch } from '../services/types.js';

const secretNames = new WeakMap<CredentialKindDefinition, ReadonlySet<string>>();

/** The fields a kind marks `ui(…, { secret: true })`: never returned, shown only as "set". */
export function secretFields(kind: CredentialKindDefinition): ReadonlySet<string> {
  let names = secretNames.get(kind);
  if (!names) {
    // The JSON Schema is what the editor reads too, so both sides agree on which fields are secret.
    const properties = z.toJSONSchema(kind.schema, { io: 'input' }).properties ?? {};
    names = new Set(Object.entries(properties).flatMap(([name, prop]) => (typeof prop === 'object' && prop.secret === true ? [name] : [])));
    secretNames.set(kind, names);
  }
  return names;
}

const choiceNames = new WeakMap<CredentialKindDefinition, ReadonlySet<string>>();

/**
 * The fields whose value is picked from a fixed set the kind publishes (an enum or constant, a
 * yes/no, a number: a preset, an environment such as "sandbox"), never secrets. The redactor does
 * not learn them: learning "sandbox" or "custom" would blank every step record that mentions the word.
 */
export function choiceFields(kind: CredentialKindDefinition): ReadonlySet<string> {
  let names = choiceNames.get(kind);
  if (!names) {
    const properties = z.toJSONSchema(kind.schema, { io: 'input' }).properties ?? {};
    const secrets = secretFields(kind);
    names = new Set(Object.entries(properties).flatMap(([name, prop]) => {
      if (typeof prop !== 'object' || secrets.has(name)) return [];
      const fixed = Array.isArray(prop.enum) || prop.const !== undefined || ['boolean', 'number', 'integer'].includes(String(prop.type));
      return fixed ? [name] : [];
    }));
    choiceNames.set(kind, names);
  }
  return names;
}

/** Stores field values as strings, the shape nodes receive (`CredentialValue.fields`). */
export function toFields(parsed: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (typeof parsed !== 'object' || parsed === null) return fields;
  for (const [key, value] of Object.entries(parsed)) {
    if (value === undefined || value === null) continue;
    fields[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return fields;
}

/**
 * Validates `data` with the kind's schema and returns the fields to store. A 400 names each field
 * and rule, never the value: a rejected value may still be a secret.
 */
export function parseFields(kind: CredentialKindDefinition, data: unknown): Record<string, string> {
  const parsed = kind.schema.safeParse(data ?? {});
  if (parsed.success) return toFields(parsed.data);
  const problems: Problem[] = parsed.error.issues.map((issue) => ({
    code: 'invalid_field',
    message: `${issue.path.length ? issue.path.join('.') : 'data'}: ${issue.message}`,
    path: ['data', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
  }));
  throw new ValidationError(`invalid ${kind.kind} credential`, problems);
}

/** The stored fields with `patch` applied (see {@link CredentialFieldsPatch}), not yet validated. */
export function mergeFields(stored: Readonly<Record<string, string>>, patch: CredentialFieldsPatch): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...stored };
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete merged[name];
    else if (value !== undefined) merged[name] = value;
  }
  return merged;
}

/** What the editor may see of stored fields: the values of the plain ones, and which secrets are set. */
export function visibleFields(kind: CredentialKindDefinition | undefined, stored: Readonly<Record<string, string>>) {
  // An unknown kind (its plugin was removed) shows nothing: any of its fields could be a secret.
  const secrets = kind ? secretFields(kind) : undefined;
  const fields: Record<string, string> = {};
  const secretsSet: string[] = [];
  for (const [name, value] of Object.entries(stored)) {
    if (!secrets || secrets.has(name)) {
      if (secrets && value !== '') secretsSet.push(name);
    } else {
      fields[name] = value;
    }
  }
  return { fields, secretsSet: secretsSet.sort() };
}
