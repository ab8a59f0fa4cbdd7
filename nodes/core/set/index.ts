import { z } from 'zod';
import { defineNode, isJsonObject, ui, type JsonObject } from '@switchyard/sdk';
import { isSafeDotPath, setPath } from '../_shared/paths.js';

const field = z.object({
  /** Dot path of the field to set, e.g. `customer.name`. */
  name: ui(
    z.string().trim().min(1, 'enter a field name').refine(isSafeDotPath, {
      message: 'use a dot path like customer.name (letters, digits, _ - $; not __proto__, prototype or constructor)',
    }),
    { title: 'Field', description: 'Dot path of the field to set, e.g. customer.name', placeholder: 'customer.name' },
  ),
  /** Any JSON value; strings may be `{{ expressions }}`. Default: null. */
  value: ui(z.json().default(null), {
    title: 'Value', description: 'Any JSON value; text may contain {{ expressions }}', widget: 'json', expression: true,
  }),
});

const props = z.object({
  /** Set in order, so a later field overrides an earlier one. Default: none. */
  fields: ui(z.array(field).default([]), {
    title: 'Fields', description: 'Fields to set, in order; a later one overrides an earlier one',
  }),
  /** Start from a shallow copy of the incoming object instead of `{}`. Default: false. */
  keepInput: ui(z.boolean().default(false), {
    title: 'Keep incoming fields', description: 'Start from the incoming message instead of an empty object',
  }),
});

/** Builds an object from named fields (dot paths create nested objects). */
export default defineNode({
  type: 'core.set',
  version: 1,
  title: 'Set fields',
  category: 'Transform',
  description: 'Builds a message from named fields, optionally on top of the incoming one',
  icon: 'pencil',
  props,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: false,
  run(_ctx, input, { fields, keepInput }) {
    // A non-object input (an array, a string) has no fields to keep; starting from {} is the only sane base.
    const output: JsonObject = keepInput && isJsonObject(input) ? { ...input } : {};
    for (const { name, value } of fields) setPath(output, name, value);
    return { main: output };
  },
});
