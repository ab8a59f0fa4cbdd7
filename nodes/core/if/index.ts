import { z } from 'zod';
import { defineNode } from '@switchyard/sdk';
import { combineSchema, conditionListSchema, evaluateConditions } from '../_shared/conditions.js';

const props = z.object({
  conditions: conditionListSchema,
  combine: combineSchema,
});

/** Routes the message, unchanged, to `true` or `false`. Coercion rules: `_shared/conditions.ts`. */
export default defineNode({
  type: 'core.if',
  version: 1,
  title: 'If',
  category: 'Flow',
  description: 'Sends the message to the true or false branch depending on conditions',
  icon: 'split',
  props,
  ports: { in: ['main'], out: ['true', 'false'] },
  sideEffects: false,
  run(_ctx, input, { conditions, combine }) {
    return evaluateConditions(conditions, combine) ? { true: input } : { false: input };
  },
});
