import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { requireCore } from '../_shared/core.js';

const props = z.object({
  /**
   * Body of an async function run in the sandbox with `$json`, `$trigger`, `$node`, `$vars`, `$execution`
   * in scope; its return value (JSON) is the output. Default: `return { ...$json };`.
   */
  code: ui(z.string().min(1, 'write some code').max(100_000).default('return { ...$json };'), {
    title: 'Code',
    description: 'JavaScript run in a sandbox; $json is the incoming message and the returned value is the output',
    widget: 'code', language: 'javascript', expression: false,
  }),
});

/** Runs JavaScript in the sandbox. Its `console.log` lines go to the step's log. */
export default defineNode({
  type: 'core.code',
  version: 1,
  title: 'Code',
  category: 'Transform',
  description: 'Transforms the message with JavaScript run in a sandbox',
  icon: 'code',
  props,
  ports: { in: ['main'], out: ['main'] },
  // The sandbox gives code no I/O, so a re-run after a crash computes the same thing again.
  sideEffects: false,
  // `{{` is ordinary JavaScript (nested object literals); the code reads $json itself.
  literalProps: ['code'],
  async run(ctx, _input, { code }) {
    const { result, logs } = await requireCore(ctx, 'Code').runCode(code);
    for (const line of logs) ctx.log.info(line);
    return { main: result };
  },
});
