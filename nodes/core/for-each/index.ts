import { z } from 'zod';
import { defineNode, isJsonObject, NonRetryableError, ui } from '@switchyard/sdk';
import { describeType, resolveDefault } from '../_shared/core.js';

const ITEMS_DEFAULT = '{{ $json.items }}';

const props = z.object({
  /**
   * The list to loop over; after expressions are resolved it must be an array. Typed as any JSON so a
   * wrong type reaches `run`, which names what it got. Default: `{{ $json.items }}`.
   */
  items: ui(z.json().default(ITEMS_DEFAULT), {
    title: 'Items', description: 'The list to loop over, usually an expression such as {{ $json.items }}',
    placeholder: '{{ $json.items }}', expression: true,
  }),
  /** How many items run through the loop body at once. Default: 5. */
  concurrency: ui(z.number().int().min(1).max(50).default(5), {
    title: 'Parallel items', description: 'How many items are processed at the same time (1–50)',
  }),
});

/**
 * Runs the nodes on its `item` output once per item, each in its own scope; a Collect node downstream
 * gathers the results when every item is done.
 */
export default defineNode({
  type: 'core.for-each',
  version: 1,
  title: 'For each',
  category: 'Flow',
  description: 'Runs the following nodes once for every item of a list',
  icon: 'repeat',
  props,
  ports: { in: ['main'], out: ['item'] },
  sideEffects: false,
  run(ctx, input, props) {
    const { concurrency } = props;
    const items = resolveDefault(props.items, ITEMS_DEFAULT, () => (isJsonObject(input) ? input.items ?? null : null));
    if (!Array.isArray(items)) {
      throw new NonRetryableError(`For each: "items" must be an array, got ${describeType(items)}`, {
        code: 'items_not_array', details: { type: describeType(items) },
      });
    }
    return ctx.loop(items, 'item', concurrency);
  },
});
