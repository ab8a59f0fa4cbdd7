import { z } from 'zod';
import { defineRoute, idParams, type Route } from '../route.server.js';

const tag = 'executions';

export const executionListQuery = z.object({
  flowId: z.string().min(1).max(200).optional(),
  status: z.enum(['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled']).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  /** Cursor: executions created before this one (an execution id) or this ISO time, as the service defines. */
  before: z.string().min(1).max(200).optional(),
  /** ISO time: only executions created at or after it. The service answers 400 for a bad date. */
  since: z.string().min(1).max(100).optional(),
  /** ISO time: only executions created before it (exclusive). */
  until: z.string().min(1).max(100).optional(),
});

export const rerunBody = z.object({
  /** Step key to start from with that step's recorded input. Default: from the trigger. */
  fromStep: z.string().min(1).max(300).optional(),
});

export const executionRoutes: Route[] = [
  defineRoute({ method: 'get', path: '/executions', tag, query: executionListQuery, summary: 'List executions, newest first' },
    async ({ runtime, principal, query }) => ({ body: await runtime.executions.list(principal.workspaceId, query) })),

  defineRoute({ method: 'get', path: '/executions/:id', tag, params: idParams, summary: 'An execution with its steps' },
    async ({ runtime, principal, params }) => ({ body: await runtime.executions.get(principal.workspaceId, params.id) })),

  defineRoute({ method: 'post', path: '/executions/:id/cancel', tag, params: idParams, summary: 'Cancel a queued, running or waiting execution' },
    async ({ runtime, principal, params }) => ({ body: await runtime.executions.cancel(principal.workspaceId, params.id) })),

  defineRoute({ method: 'post', path: '/executions/:id/rerun', tag, status: 202, params: idParams, body: rerunBody, summary: 'Run again, from the trigger or from a recorded step' },
    async ({ runtime, principal, params, body }) => ({
      status: 202,
      body: await runtime.executions.rerun(principal.workspaceId, params.id, body.fromStep ? { fromStep: body.fromStep } : {}),
    })),
];
