import { z } from 'zod';
import { defineRoute, idParams, type Route } from '../route.server.js';

const tag = 'flows';

export const testListenBody = z.object({
  /** A channel trigger of the flow's latest saved version. */
  nodeId: z.string().min(1).max(120),
});

const listenParams = idParams.extend({ listenId: z.uuid() });

export const testListenRoutes: Route[] = [
  defineRoute({ method: 'post', path: '/flows/:id/test-listen', tag, status: 201, params: idParams, body: testListenBody,
    summary: 'Listen for a test event: the next event of the trigger\'s account that it matches also starts a test run of the latest saved version (for 2 minutes; active flows keep theirs)' },
  async ({ runtime, principal, params, body }) => ({ status: 201, body: await runtime.inbound.listenForTest(principal.workspaceId, params.id, body.nodeId) })),

  defineRoute({ method: 'get', path: '/flows/:id/test-listen/:listenId', tag, params: listenParams,
    summary: 'Whether the test event arrived (`received`, with the test run\'s `executionId`), is awaited (`listening`) or did not come (`expired`)' },
  async ({ runtime, principal, params }) => ({ body: await runtime.inbound.testListenState(principal.workspaceId, params.id, params.listenId) })),
];
