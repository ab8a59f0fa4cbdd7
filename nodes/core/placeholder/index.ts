import { z } from 'zod';
import { defineNode, NonRetryableError, ui } from '@switchyard/sdk';

const port = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/);

const props = z.object({
  /** Where the step came from, e.g. `n8n-nodes-base.googleSheets`. */
  n8nType: ui(z.string().min(1).max(300), { title: 'Imported node type', description: 'The type of the imported node this placeholder stands for', expression: false }),
  n8nTypeVersion: ui(z.number().optional(), { title: 'Imported node version', description: 'Its type version' }),
  /** Why it was not mapped to a Switchyard node. */
  reason: ui(z.string().max(2000).default(''), { title: 'Why it was not imported', description: 'What the importer could not carry over', widget: 'textarea', expression: false }),
  /** The original parameters, kept so the step can be rebuilt by hand. */
  parameters: ui(z.json().default({}), { title: 'Original parameters', description: 'The imported node\'s parameters, as exported', widget: 'json', expression: false }),
  /** Output ports, one per output the original node had connected, so its edges keep their places. Default: main. */
  outputs: ui(z.array(port).min(1).max(50).default(['main']), { title: 'Outputs', description: 'One per output of the original node', expression: false }),
}).superRefine((p, ctx) => {
  // Always a problem: validation names every placeholder, so a flow cannot run or activate until each is rebuilt.
  ctx.addIssue({
    code: 'custom', path: ['n8nType'],
    message: `rebuild this step: the imported ${p.n8nType} node has no Switchyard equivalent${p.reason ? ` (${p.reason})` : ''}; replace this placeholder`,
  });
});

/**
 * Stands in for an imported node that could not be mapped (decision 039): it keeps the original
 * parameters and the flow's shape, is imported disabled, and fails validation until replaced.
 */
export default defineNode({
  type: 'core.placeholder',
  version: 1,
  title: 'Placeholder (imported)',
  category: 'Flow',
  description: 'An imported step with no Switchyard equivalent yet; rebuild it and delete the placeholder',
  icon: 'box',
  props,
  ports: { in: ['main'], out: (p) => p.outputs },
  sideEffects: false,
  literalProps: ['parameters', 'reason'],
  run(_ctx, _input, { n8nType }) {
    throw new NonRetryableError(`this step is a placeholder for the imported ${n8nType} node; rebuild it`, { code: 'placeholder' });
  },
});
