import { z } from 'zod';
import { defineNode } from '@switchyard/sdk';

/**
 * Closes a For each loop: the executor runs it once, when every item's branch has finished
 * (`inputMode: 'collect'`), with the array of the branch results in item order.
 */
export default defineNode({
  type: 'core.collect',
  version: 1,
  title: 'Collect',
  category: 'Flow',
  description: 'Gathers the results of a For each loop into one list: { items: [...] }',
  icon: 'layers',
  props: z.object({}),
  ports: { in: ['main'], out: ['main'] },
  inputMode: 'collect',
  sideEffects: false,
  run(_ctx, input) {
    return { main: { items: Array.isArray(input) ? input : [input] } };
  },
});
