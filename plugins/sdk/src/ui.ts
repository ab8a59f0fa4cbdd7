import type { z } from 'zod';

/**
 * Editor hints carried on a props schema through zod's `.meta()`. They end up in the JSON Schema that
 * `GET /api/nodes` serves, so the one form renderer in the editor needs no per-node code.
 */
export interface UiHints {
  /** Field label; defaults to the property name in Title Case. */
  title?: string;
  /** One line of help under the field. */
  description?: string;
  /** Placeholder text shown in an empty field. */
  placeholder?: string;
  /** Whether the field accepts `{{ expression }}` values. Default: true for strings, false otherwise. */
  expression?: boolean;
  /** A secret value: masked in the editor, never echoed back by the API. Default: false. */
  secret?: boolean;
  /** A widget other than the one the schema type implies. */
  widget?: 'code' | 'cron' | 'json' | 'textarea' | 'key-value' | 'credential';
  /** Language of a `code` widget. Default: 'javascript'. */
  language?: 'javascript' | 'json';
  /** Human labels for enum values, by value. */
  enumLabels?: Record<string, string>;
  /** Group name to place the field under in the inspector. */
  group?: string;
}

/** Attaches {@link UiHints} to a schema. Returns the same schema type so `z.infer` is unchanged. */
export function ui<T extends z.ZodType>(schema: T, hints: UiHints): T {
  return schema.meta({ ...hints }) as T;
}
