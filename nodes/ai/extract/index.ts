import { z } from 'zod';
import { defineNode, isJsonObject, ui, type Json } from '@switchyard/sdk';
import { combineCalls } from '../_shared/ask.js';
import { chainEntries, chainSchema, modelSettingsShape, providerCredentials, settingsOf } from '../_shared/node-props.js';
import { askStructured, outputSchema, STRUCTURED_MODE_HELP, STRUCTURED_MODE_LABELS, STRUCTURED_MODES } from '../_shared/structured.js';

const FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'date', 'email', 'string[]'] as const;

const field = z.object({
  name: ui(z.string().trim().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'use letters, digits and _, starting with a letter, like orderId'), {
    title: 'Field', description: 'The key in the output object', placeholder: 'orderId', expression: false,
  }),
  /** Default: 'string'. */
  type: ui(z.enum(FIELD_TYPES).default('string'), {
    title: 'Type', description: 'The value\'s type; the answer is checked against it', enumLabels: { string: 'Text', number: 'Number', integer: 'Whole number', boolean: 'Yes/no', date: 'Date (YYYY-MM-DD)', email: 'Email address', 'string[]': 'List of texts' },
  }),
  description: ui(z.string().trim().max(1000).default(''), { title: 'Description', description: 'What the field holds, for the model' }),
  /** Default: false — a missing value is null. */
  required: ui(z.boolean().default(false), { title: 'Required', description: 'Fail the step when the text does not give it' }),
});
type Field = z.infer<typeof field>;

export const extractProps = z.object({
  chain: chainSchema,
  /** Default: `{{ $json.text }}`. */
  text: ui(z.string().max(200_000).default('{{ $json.text }}'), { title: 'Text', description: 'Where to find the values', widget: 'textarea' }),
  fields: ui(z.array(field).min(1, 'add at least one field').max(50).default([{ name: 'name', type: 'string', description: 'The person\'s name', required: false }])
    .superRefine((fields, ctx) => {
      const seen = new Set<string>();
      fields.forEach((f, i) => {
        if (seen.has(f.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `field "${f.name}" is listed twice` });
        seen.add(f.name);
      });
    }), { title: 'Fields', description: 'The JSON object to fill; a value the text does not give is null' }),
  /** Default: none. */
  instructions: ui(z.string().max(20_000).default(''), { title: 'Extra instructions', description: 'Added to what the model is told', widget: 'textarea', group: 'Model' }),
  /** Default: 'json_schema'. */
  structuredMode: ui(z.enum(STRUCTURED_MODES).default('json_schema'), { title: 'How to ask for JSON', description: STRUCTURED_MODE_HELP, enumLabels: STRUCTURED_MODE_LABELS, group: 'Model' }),
  ...modelSettingsShape,
});

function fieldSchema(f: Field): Record<string, Json> {
  const base: Record<string, Json> = f.type === 'date' ? { type: 'string', format: 'date' }
    : f.type === 'email' ? { type: 'string', format: 'email' }
      : f.type === 'string[]' ? { type: 'array', items: { type: 'string' } }
        : { type: f.type };
  const described = f.description ? { ...base, description: f.description } : base;
  // Optional fields may be null: the model must not invent a value the text does not give.
  return f.required ? described : { anyOf: [described, { type: 'null' }] };
}

/** The JSON Schema of the object the fields describe (every field present; optional ones nullable). */
export function extractionSchema(fields: readonly Field[]): Record<string, Json> {
  return {
    type: 'object',
    properties: Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f)])),
    required: fields.map((f) => f.name),
    additionalProperties: false,
  };
}

/** Extract: fields described in the form → a typed JSON object read from the text (checked, one repair). */
export default defineNode({
  type: 'ai.extract',
  version: 1,
  title: 'AI Extract',
  category: 'AI',
  description: 'Read typed fields (order id, date, email…) out of a text into a JSON object',
  icon: 'layers',
  props: extractProps,
  credentials: providerCredentials,
  ports: { in: ['main'], out: ['main'] },
  async run(ctx, _input, props) {
    const entries = chainEntries(ctx.credentials, props.chain);
    const system = [
      'You read values out of a text and return them as a JSON object. Use null for a value the text does not give; never guess.',
      props.instructions.trim(),
    ].filter(Boolean).join('\n');
    const request = {
      messages: [{ role: 'system' as const, content: system }, { role: 'user' as const, content: props.text }],
      ...settingsOf(props), temperature: props.temperature ?? 0,
    };
    const structured = await askStructured(ctx, entries, request, outputSchema(extractionSchema(props.fields), 'the fields'), props.structuredMode, { cacheTtlMs: props.cacheTtlSeconds * 1000 });
    const { attempts, usage, cached } = combineCalls(structured.calls);
    const data = isJsonObject(structured.value) ? structured.value : {};
    return { main: { data, repaired: structured.repaired, usage, attempts, cached } };
  },
});
