import { z } from 'zod';
import { defineNode } from '@switchyard/sdk';

/** Starts an execution from the editor's Run button, the API (`POST /api/flows/:id/run`) or the CLI. */
export default defineNode({
  type: 'core.manual-trigger',
  version: 1,
  title: 'Manual trigger',
  category: 'Triggers',
  description: 'Starts the flow when you press Run, or from the API and CLI, with the input given there',
  icon: 'play',
  props: z.object({}),
  ports: { in: [], out: ['main'] },
  trigger: { kind: 'manual' },
  sideEffects: false,
  run(_ctx, input) {
    return { main: input };
  },
});
