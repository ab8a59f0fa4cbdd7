import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCredentialKind, defineNode, ui } from '@switchyard/sdk';
import { credentialKinds } from '../nodes/credentials/index.js';
import { builtinNodes, nodeRegistry } from '../nodes/index.js';
import { buildCredentialKindCatalog, buildNodeCatalog } from './catalog.js';

// JSON Schema is walked freely in these assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Schema = Record<string, any>;

const catalog = buildNodeCatalog(nodeRegistry);
const entry = (type: string) => {
  const found = catalog.find((e) => e.type === type);
  if (!found) throw new Error(`no catalog entry for ${type}`);
  return found;
};
const props = (type: string): Schema => entry(type).propsSchema.properties as Schema;

describe('buildNodeCatalog', () => {
  it('lists every built-in node once', () => {
    expect(catalog.map((e) => `${e.type}@${e.version}`)).toEqual(builtinNodes.map((d) => `${d.type}@${d.version}`));
  });

  it.each(builtinNodes.map((d) => [d.type, d] as const))('%s: props convert to JSON Schema without loss', (_type, definition) => {
    expect(() => z.toJSONSchema(definition.props, { io: 'input', unrepresentable: 'throw' })).not.toThrow();
    expect(entry(definition.type).propsSchema).toMatchObject({ type: 'object' });
  });

  // HTTP request is owned and tested with its own node.
  it.each(builtinNodes.filter((d) => d.type !== 'core.http-request').map((d) => [d.type, d] as const))(
    '%s: every field has a title and description, every enum its labels',
    (type) => {
      const check = (fields: Schema, where: string) => {
        for (const [name, field] of Object.entries(fields)) {
          expect(field.title, `${where}.${name} title`).toEqual(expect.any(String));
          expect(field.description, `${where}.${name} description`).toEqual(expect.any(String));
          if (field.enum) expect(Object.keys(field.enumLabels ?? {}).sort(), `${where}.${name} enumLabels`).toEqual([...field.enum].sort());
          if (field.type === 'array' && field.items?.properties) check(field.items.properties, `${where}.${name}[]`);
        }
      };
      check(props(type) ?? {}, type);
    },
  );

  it('marks non-literal string fields as expressions and literal ones as not', () => {
    expect(props('core.stop').message.expression).toBe(true);
    expect(props('core.webhook').path.expression).toBe(false);
    expect(props('core.webhook').method.expression).toBe(false);
    expect(props('core.schedule').cron).toMatchObject({ expression: false, widget: 'cron' });
    expect(props('core.code').code).toMatchObject({ expression: false, widget: 'code', language: 'javascript' });
    // Nested strings count too; an explicit hint wins.
    expect(props('core.set').fields.items.properties.name.expression).toBe(true);
    expect(props('core.switch').rules.items.properties.port.expression).toBe(false);
    expect(props('core.for-each').items.expression).toBe(true);
    // Enums are selects, not free text.
    expect(props('core.wait').mode.expression).toBe(false);
    expect(props('core.if').conditions.items.properties.operator.expression).toBe(false);
    // Non-strings are left alone.
    expect(props('core.for-each').concurrency.expression).toBeUndefined();
  });

  it('describes input props: defaulted fields are optional and carry their default', () => {
    const schema = entry('core.respond').propsSchema as Schema;
    expect(schema.required ?? []).toEqual([]);
    expect(schema.properties.status).toMatchObject({ type: 'integer', minimum: 200, maximum: 599, default: 200 });
    expect(entry('core.webhook').propsSchema.required).toEqual(['path']);
  });

  it('reports ports, with dynamic outputs for their default props', () => {
    expect(entry('core.if').ports).toEqual({ in: ['main'], out: ['true', 'false'], dynamicOut: false });
    expect(entry('core.switch').ports).toEqual({ in: ['main'], out: ['default'], dynamicOut: true });
    expect(entry('core.manual-trigger').ports).toEqual({ in: [], out: ['main'], dynamicOut: false });
  });

  it('reports triggers, credentials and side effects', () => {
    expect(entry('core.webhook')).toMatchObject({
      trigger: 'webhook', sideEffects: false,
      credentials: { signature: { kind: 'hmac-secret', optional: true, title: 'Signature secret (HMAC)' } },
    });
    expect(entry('core.set').trigger).toBeUndefined();
    expect(entry('core.subflow').sideEffects).toBe(true);
  });

  it('defaults what a plugin node leaves out and survives unrepresentable types', () => {
    const plugin = defineNode({
      type: 'acme.thing', version: 2, title: 'Thing', category: 'Acme', description: 'Does a thing',
      props: z.object({ when: z.date(), name: z.string() }),
      credentials: { auth: { kind: ['http-bearer', 'http-basic'] } },
      ports: { in: ['main'], out: ['main'] },
      run: (_ctx, input) => ({ main: input }),
    });
    const [thing] = buildNodeCatalog({ 'acme.thing@2': plugin });
    expect(thing).toMatchObject({
      icon: 'box', sideEffects: true,
      credentials: { auth: { kind: 'http-bearer|http-basic', optional: false, title: 'auth' } },
    });
    expect((thing?.propsSchema.properties as Schema).name).toEqual({ type: 'string', expression: true });
  });
});

describe('buildCredentialKindCatalog', () => {
  it('converts every built-in kind and flags secret fields', () => {
    const kinds = buildCredentialKindCatalog(credentialKinds);
    expect(kinds.map((k) => k.kind).sort()).toEqual(Object.keys(credentialKinds).sort());
    const hmac = kinds.find((k) => k.kind === 'hmac-secret');
    expect((hmac?.schema.properties as Schema).secret).toMatchObject({ type: 'string', secret: true });
    for (const kind of kinds) {
      const secrets = Object.values(kind.schema.properties as Schema).filter((field) => field.secret === true);
      expect(secrets.length, `${kind.kind} has a secret field`).toBeGreaterThan(0);
    }
  });

  it('keeps title and description, and flags secrets of any kind', () => {
    const kind = defineCredentialKind({
      kind: 'acme-key', title: 'Acme key', description: 'API key for Acme',
      schema: z.object({ account: z.string(), key: ui(z.string(), { title: 'Key', secret: true }) }),
    });
    expect(buildCredentialKindCatalog({ 'acme-key': kind })).toEqual([{
      kind: 'acme-key', title: 'Acme key', description: 'API key for Acme', testable: false,
      schema: expect.objectContaining({
        properties: { account: { type: 'string' }, key: { type: 'string', title: 'Key', secret: true } },
        required: ['account', 'key'],
      }),
    }]);
  });
});
