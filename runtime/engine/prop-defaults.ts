import type { z } from 'zod';

/**
 * A node's written props with its schema's defaults filled in, before expressions resolve, so a
 * default such as `chatId: '{{ $trigger.contact.id }}'` is evaluated like a typed-in value.
 *
 * When the written props already pass the schema, its own parse fills the defaults. When they do not
 * (an expression in a field whose rule only holds once it is worked out, such as a message id that must
 * be digits), each field left out takes its own default, field by field, so one expression elsewhere
 * does not leave another field's default unfilled; the rest keep their written form and the final
 * parse, after resolution, judges them.
 */
export function propsWithSchemaDefaults(schema: z.ZodType, props: unknown): unknown {
  const parsed = schema.safeParse(props);
  if (parsed.success) return parsed.data;
  const shape = 'shape' in schema && typeof schema.shape === 'object' && schema.shape !== null ? (schema.shape as Record<string, z.ZodType>) : undefined;
  if (!shape || typeof props !== 'object' || props === null || Array.isArray(props)) return props;
  const filled: Record<string, unknown> = { ...props };
  for (const [name, field] of Object.entries(shape)) {
    if (filled[name] !== undefined) continue;
    const fallback = field.safeParse(undefined);
    if (fallback.success && fallback.data !== undefined) filled[name] = fallback.data;
  }
  return filled;
}
