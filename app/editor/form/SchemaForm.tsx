import { useMemo } from 'react';
import { FormEnvContext, type FormEnv } from './context';
import type { ExpressionContext } from './expressions';
import { Field } from './Field';
import { isRecord, type JsonSchema } from './schema';

/**
 * THE form renderer: every node's inspector form comes from its props JSON Schema here, and nowhere
 * else. Fields are grouped by the `group` hint (ungrouped first); nested objects and lists of
 * objects recurse through {@link ObjectFields}.
 */
export function SchemaForm({ schema, value, onChange, errors = {}, expression = { nodes: {} }, readOnly = false, idPrefix = 'f' }: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange(next: Record<string, unknown>, changedKey: string): void;
  errors?: Record<string, string>;
  expression?: ExpressionContext;
  readOnly?: boolean;
  idPrefix?: string;
}) {
  const env = useMemo<FormEnv>(() => ({ errors, expression, readOnly }), [errors, expression, readOnly]);
  const properties = isRecord(schema.properties) ? schema.properties : {};
  if (Object.keys(properties).length === 0) return <p className="muted">This node has no settings.</p>;
  return (
    <FormEnvContext.Provider value={env}>
      <ObjectFields schema={schema} root={schema} value={value} path={[]} idPrefix={idPrefix} onChange={onChange} grouped />
    </FormEnvContext.Provider>
  );
}

export function ObjectFields({ schema, root, value, path, onChange, idPrefix, grouped }: {
  schema: JsonSchema;
  root: JsonSchema;
  value: Record<string, unknown>;
  path: (string | number)[];
  onChange(next: Record<string, unknown>, changedKey: string): void;
  idPrefix: string;
  grouped?: boolean;
}) {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const groups = new Map<string, [string, JsonSchema][]>();
  for (const [name, prop] of Object.entries(properties)) {
    if (!isRecord(prop)) continue;
    const group = grouped && typeof prop.group === 'string' ? prop.group : '';
    groups.set(group, [...(groups.get(group) ?? []), [name, prop]]);
  }
  const render = (entries: [string, JsonSchema][]) => entries.map(([name, prop]) => (
    <Field
      key={name}
      name={name}
      schema={prop}
      root={root}
      path={[...path, name]}
      idPrefix={idPrefix}
      required={required.has(name)}
      value={value[name]}
      onChange={(next) => {
        const copy = { ...value };
        if (next === undefined) delete copy[name];
        else copy[name] = next;
        onChange(copy, [...path, name].join('.'));
      }}
    />
  ));
  return (
    <>
      {[...groups.entries()].map(([group, entries]) => group
        ? <fieldset key={group} className="form-group"><legend>{group}</legend>{render(entries)}</fieldset>
        : <div key="">{render(entries)}</div>)}
    </>
  );
}
