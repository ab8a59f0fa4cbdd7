import { z } from 'zod';
import { defineNode, StopError, ui } from '@switchyard/sdk';

const props = z.object({
  /** Shown as the execution's error. Default: 'Stopped'. */
  message: ui(z.string().min(1).max(1000).default('Stopped'), {
    title: 'Message', description: 'Error message the execution fails with',
  }),
  /** Machine-readable error code. Default: 'stopped'. */
  code: ui(z.string().min(1).max(100).default('stopped'), {
    title: 'Error code', description: 'Machine-readable code recorded with the error', placeholder: 'stopped',
  }),
});

/** Fails the execution on purpose with the given message (never retried). */
export default defineNode({
  type: 'core.stop',
  version: 1,
  title: 'Stop with error',
  category: 'Flow',
  description: 'Stops the execution with an error message',
  icon: 'octagon',
  props,
  ports: { in: ['main'], out: [] },
  sideEffects: false,
  run(_ctx, _input, { message, code }) {
    throw new StopError(message, { code });
  },
});
