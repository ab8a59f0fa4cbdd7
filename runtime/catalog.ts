import { z } from 'zod';
import type { AnyNodeDefinition, CredentialKindDefinition } from '@switchyard/sdk';
import type { NodeRegistry } from '../nodes/index.js';
import type { CredentialKindEntry, NodeCatalogEntry } from './services/types.js';
import { pluginPropsSchema } from './plugins/proxy.js';

type JsonSchema = Record<string, unknown>;

/**
 * JSON Schema of a props or credential schema as a client fills it in (`io: 'input'`: defaults are
 * optional). A construct JSON Schema cannot express (a custom type in a plugin) becomes `{}` rather
 * than taking the whole catalog down.
 */
export function toJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

/**
 * The props JSON Schema of a node with `expression` filled in where the node did not say: `true` on
 * free-text string fields (they may hold `{{ … }}`); `false` on enums (the editor shows a select, whose
 * choices are configuration) and on top-level literal props and everything in them.
 */
export function nodePropsSchema(definition: AnyNodeDefinition): JsonSchema {
  // Plugin nodes: the JSON Schema from their manifest (it keeps the author's `ui()` hints); a copy,
  // because the expression marking below writes into it.
  const declared = pluginPropsSchema(definition);
  const schema = declared ? structuredClone(declared) : toJsonSchema(definition.props);
  const literal = new Set(definition.literalProps ?? []);
  const properties = asSchema(schema.properties);
  if (properties) {
    for (const [name, property] of Object.entries(properties)) {
      const field = asSchema(property);
      if (field) markExpressions(field, !literal.has(name));
    }
  }
  return schema;
}

/** Walks one field's schema; `$defs` are shared between fields, so they are left as they are. */
function markExpressions(schema: JsonSchema, allowed: boolean): void {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const choice = Array.isArray(schema.enum) || schema.const !== undefined;
  if (types.includes('string') && schema.expression === undefined) schema.expression = allowed && !choice;
  for (const key of ['properties', 'patternProperties'] as const) {
    const children = asSchema(schema[key]);
    if (children) for (const child of Object.values(children)) visit(child, allowed);
  }
  for (const key of ['items', 'additionalProperties', 'not'] as const) visit(schema[key], allowed);
  for (const key of ['prefixItems', 'anyOf', 'oneOf', 'allOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list)) for (const child of list) visit(child, allowed);
  }
}

function visit(value: unknown, allowed: boolean): void {
  const schema = asSchema(value);
  if (schema) markExpressions(schema, allowed);
}

function asSchema(value: unknown): JsonSchema | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonSchema) : undefined;
}

/** Output ports for the props a freshly placed node has (its schema's defaults), or none if `{}` is not valid. */
function defaultOutputPorts(definition: AnyNodeDefinition): string[] {
  const out = definition.ports.out;
  if (typeof out !== 'function') return [...out];
  const schema: z.ZodType = definition.props;
  const defaults = schema.safeParse({});
  return defaults.success ? out(defaults.data) : [];
}

/** `GET /api/nodes`: every node of the registry, in registry order. */
export function buildNodeCatalog(registry: NodeRegistry): NodeCatalogEntry[] {
  return Object.values(registry).map((definition) => {
    const entry: NodeCatalogEntry = {
      type: definition.type,
      version: definition.version,
      title: definition.title,
      category: definition.category,
      description: definition.description,
      icon: definition.icon ?? 'box',
      propsSchema: nodePropsSchema(definition),
      ports: {
        in: [...definition.ports.in],
        out: defaultOutputPorts(definition),
        dynamicOut: typeof definition.ports.out === 'function',
      },
      credentials: Object.fromEntries(Object.entries(definition.credentials ?? {}).map(([slot, declared]) => [slot, {
        // The catalog contract has one kind string per slot; several accepted kinds are listed with "|".
        kind: typeof declared.kind === 'string' ? declared.kind : declared.kind.join('|'),
        optional: declared.optional ?? false,
        title: declared.title ?? slot,
      }])),
      sideEffects: definition.sideEffects ?? true,
    };
    if (definition.trigger) entry.trigger = definition.trigger.kind;
    return entry;
  });
}

/** `GET /api/credential-kinds`: each kind with its fields' JSON Schema (secret fields carry `secret: true`). */
export function buildCredentialKindCatalog(kinds: Record<string, CredentialKindDefinition>): CredentialKindEntry[] {
  return Object.values(kinds).map((kind) => {
    const entry: CredentialKindEntry = { kind: kind.kind, title: kind.title, schema: toJsonSchema(kind.schema), testable: kind.test !== undefined };
    if (kind.description !== undefined) entry.description = kind.description;
    if (kind.inbound) entry.inbound = true;
    return entry;
  });
}
