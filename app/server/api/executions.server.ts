import { z } from 'zod';
import type { StepsView } from '../../../runtime/services/types.js';
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

/** Steps one read returns unless `stepsLimit` says otherwise (decision 024). */
export const DEFAULT_STEPS_LIMIT = 1000;

/** Which steps `GET /executions/:id` (and its event stream's snapshot) carries. */
export const executionStepsQuery = z.object({
  /** `latest`: the latest step of each node instead of a page; `none`: no steps. Default: a page. */
  steps: z.enum(['page', 'latest', 'none']).default('page'),
  /** Page cursor: steps recorded after this `seq` (the record's `nextStepsAfter`). Default: 0, the first page. */
  stepsAfter: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  /** Steps per page, at most 5,000. Default: 1,000. */
  stepsLimit: z.coerce.number().int().min(1).max(5000).default(DEFAULT_STEPS_LIMIT),
});

export function stepsView(query: z.infer<typeof executionStepsQuery>): StepsView {
  if (query.steps === 'page') return { kind: 'page', after: query.stepsAfter, limit: query.stepsLimit };
  return { kind: query.steps };
}

export const rerunBody = z.object({
  /** Step key to start from with that step's recorded input. Default: from the trigger. */
  fromStep: z.string().min(1).max(300).optional(),
});

export const executionRoutes: Route[] = [
  defineRoute({ method: 'get', path: '/executions', tag, query: executionListQuery, summary: 'List executions, newest first' },
    async ({ runtime, principal, query }) => ({ body: await runtime.executions.list(principal.workspaceId, query) })),

  defineRoute({ method: 'get', path: '/executions/:id', tag, params: idParams, query: executionStepsQuery,
    summary: 'An execution with its steps, a page at a time (first 1,000 by default), or the latest step of each node' },
  async ({ runtime, principal, params, query }) => ({ body: await runtime.executions.get(principal.workspaceId, params.id, stepsView(query)) })),

  defineRoute({ method: 'post', path: '/executions/:id/cancel', tag, params: idParams, summary: 'Cancel a queued, running or waiting execution' },
    async ({ runtime, principal, params }) => ({ body: await runtime.executions.cancel(principal.workspaceId, params.id) })),

  defineRoute({ method: 'post', path: '/executions/:id/rerun', tag, status: 202, params: idParams, body: rerunBody, summary: 'Run again, from the trigger or from a recorded step' },
    async ({ runtime, principal, params, body }) => ({
      status: 202,
      body: await runtime.executions.rerun(principal.workspaceId, params.id, body.fromStep ? { fromStep: body.fromStep } : {}),
    })),
];
