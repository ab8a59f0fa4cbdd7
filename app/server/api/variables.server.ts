import { z } from 'zod';
import { defineRoute, type Route } from '../route.server.js';

const tag = 'variables';

/** Keys are used as `$vars.<key>` in expressions, hence identifier-like. */
export const variableParams = z.object({
  key: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, 'keys are letters, digits and _ (not starting with a digit), at most 100'),
});

export const variableBody = z.object({
  value: z.string().max(64 * 1024),
});

export const variableRoutes: Route[] = [
  defineRoute({ method: 'get', path: '/variables', tag, summary: 'List workspace variables' },
    async ({ runtime, principal }) => ({ body: await runtime.variables.list(principal.workspaceId) })),

  defineRoute({ method: 'put', path: '/variables/:key', tag, params: variableParams, body: variableBody, summary: 'Set a variable' },
    async ({ runtime, principal, params, body }) => {
      await runtime.variables.set(principal.workspaceId, params.key, body.value);
      return { body: { key: params.key, value: body.value } };
    }),

  defineRoute({ method: 'delete', path: '/variables/:key', tag, status: 204, params: variableParams, summary: 'Delete a variable' },
    async ({ runtime, principal, params }) => {
      await runtime.variables.remove(principal.workspaceId, params.key);
      return { status: 204 };
    }),
];
