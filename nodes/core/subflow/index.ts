import { z } from 'zod';
import { defineNode, NonRetryableError, ui } from '@switchyard/sdk';
import { requireCore, resolveDefault } from '../_shared/core.js';

const INPUT_DEFAULT = '{{ $json }}';

const props = z.object({
  /** Id of a flow in this workspace. */
  flowId: ui(z.string().trim().min(1, 'choose a flow'), {
    title: 'Flow', description: 'Id of the flow to run', placeholder: 'flow id',
  }),
  /** The child execution's trigger input. Default: `{{ $json }}`. */
  input: ui(z.json().default(INPUT_DEFAULT), {
    title: 'Input', description: 'Input for the other flow, e.g. {{ $json }}', widget: 'json', expression: true,
  }),
  /** Wait for the child to finish and emit its result; otherwise emit `{ executionId }` at once. Default: true. */
  wait: ui(z.boolean().default(true), {
    title: 'Wait for it to finish', description: 'Continue with its result; otherwise continue at once with its execution id',
  }),
});

/** Runs another flow of the workspace, optionally parking this execution until the child finishes. */
export default defineNode({
  type: 'core.subflow',
  version: 1,
  title: 'Run flow',
  category: 'Flow',
  description: 'Runs another flow with an input and (optionally) continues with its result',
  icon: 'workflow',
  props,
  ports: { in: ['main'], out: ['main'] },
  // Starting an execution is an effect: it must not happen twice after a crash.
  sideEffects: true,
  async run(ctx, message, { flowId, input, wait }) {
    if (ctx.resumed?.kind === 'event') {
      // Not retried: a retry would wait again for a child that has already finished.
      if (ctx.resumed.error) throw new NonRetryableError(ctx.resumed.error.message, { code: ctx.resumed.error.code ?? 'subflow_failed' });
      return { main: ctx.resumed.payload };
    }
    // Any other resume means the child already started; starting it again would run it twice.
    if (ctx.resumed) {
      throw new NonRetryableError(`Run flow: resumed by "${ctx.resumed.kind}" instead of the child flow finishing`, { code: 'unexpected_resume' });
    }
    const childId = await requireCore(ctx, 'Run flow').startSubflow(flowId, resolveDefault(input, INPUT_DEFAULT, () => message));
    if (wait) return ctx.wait({ event: `subflow:${childId}` });
    return { main: { executionId: childId } };
  },
});
