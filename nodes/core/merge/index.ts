import { z } from 'zod';
import { defineNode, isJsonObject, NonRetryableError, ui, type JsonObject } from '@switchyard/sdk';
import { describeType } from '../_shared/core.js';

const props = z.object({
  /** Default: 'merge'. */
  mode: ui(z.enum(['append', 'merge']).default('merge'), {
    title: 'Mode',
    description: 'How to combine the messages of the incoming branches',
    enumLabels: {
      append: 'List them: { items: [first, second, …] }',
      merge: 'Merge their fields into one object (later branches win)',
    },
  }),
});

/**
 * Waits for every connected branch that can still arrive (`inputMode: 'join'`) and combines what came,
 * in edge order.
 */
export default defineNode({
  type: 'core.merge',
  version: 1,
  title: 'Merge',
  category: 'Flow',
  description: 'Waits for the incoming branches and combines their messages',
  icon: 'merge',
  props,
  ports: { in: ['main'], out: ['main'] },
  inputMode: 'join',
  sideEffects: false,
  run(_ctx, input, { mode }) {
    // The executor passes the array of arrived messages; a single message (run by hand) counts as one branch.
    const messages = Array.isArray(input) ? input : [input];
    if (mode === 'append') return { main: { items: messages } };
    let merged: JsonObject = {};
    messages.forEach((message, index) => {
      if (!isJsonObject(message)) {
        throw new NonRetryableError(
          `Merge: message ${index + 1} is ${describeType(message)}, not an object; use mode "append" to combine non-objects`,
          { code: 'merge_not_object' },
        );
      }
      // Spread defines properties, so a JSON key "__proto__" stays data (Object.assign would set the prototype).
      merged = { ...merged, ...message };
    });
    return { main: merged };
  },
});
