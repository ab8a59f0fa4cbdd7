import { createElement, useState } from 'react';
import { render } from '@testing-library/react';
import type { ExpressionContext } from './expressions';
import type { JsonSchema } from './schema';
import { SchemaForm } from './SchemaForm';

/** Every value the form reported, newest last, with the dotted key that changed. */
export interface Changes {
  values: Record<string, unknown>[];
  keys: string[];
  last(): Record<string, unknown> | undefined;
}

/**
 * Renders {@link SchemaForm} the way the inspector does: the value lives in state above the form,
 * so typing into a controlled input sticks and the next change builds on it. Test-only helper.
 */
export function renderForm(schema: JsonSchema, options: {
  value?: Record<string, unknown>;
  errors?: Record<string, string>;
  expression?: ExpressionContext;
  readOnly?: boolean;
} = {}) {
  const changes: Changes = { values: [], keys: [], last: () => changes.values.at(-1) };
  function Harness() {
    const [value, setValue] = useState<Record<string, unknown>>(options.value ?? {});
    return createElement(SchemaForm, {
      schema,
      value,
      errors: options.errors,
      expression: options.expression,
      readOnly: options.readOnly,
      onChange(next: Record<string, unknown>, key: string) {
        changes.values.push(next);
        changes.keys.push(key);
        setValue(next);
      },
    });
  }
  return { ...render(createElement(Harness)), changes };
}

/** A props schema with one property. */
export function one(name: string, prop: JsonSchema, required = false): JsonSchema {
  return { type: 'object', properties: { [name]: prop }, ...(required ? { required: [name] } : {}) };
}
