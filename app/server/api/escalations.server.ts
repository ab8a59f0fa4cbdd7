import { escalationDecisionInput, escalationListQuery } from '../../../runtime/index.js';
import type { Principal } from '../../../runtime/services/types.js';
import type { Runtime } from '../../../runtime/types.js';
import { defineRoute, idParams, type Route } from '../route.server.js';

const tag = 'escalations';

/** Who a decision is recorded as: the signed-in person's email, or the API key's name. */
async function decider(runtime: Runtime, principal: Principal): Promise<string> {
  if (principal.userId) return (await runtime.auth.getUser(principal.userId))?.email ?? `user ${principal.userId}`;
  if (principal.apiKeyId) {
    const key = (await runtime.auth.listApiKeys(principal.workspaceId)).find((k) => k.id === principal.apiKeyId);
    return key ? `API key "${key.name}"` : 'an API key';
  }
  return 'someone';
}

/** The escalations inbox (decision 036). */
export const escalationRoutes: Route[] = [
  defineRoute({ method: 'get', path: '/escalations', tag, query: escalationListQuery,
    summary: 'Escalations "Ask a human" steps opened, newest first, a page at a time (`nextBefore`); filters: flow, status, assignee, age' },
  async ({ runtime, principal, query }) => ({ body: await runtime.escalations.list(principal.workspaceId, query) })),

  defineRoute({ method: 'get', path: '/escalations/:id', tag, params: idParams,
    summary: 'One escalation: the message, the drafted reply, the reasons, the notifications, the decision, and the latest messages of its conversation' },
  async ({ runtime, principal, params }) => ({ body: await runtime.escalations.get(principal.workspaceId, params.id) })),

  defineRoute({ method: 'post', path: '/escalations/:id/decision', tag, params: idParams, body: escalationDecisionInput,
    summary: 'Approve (a text different from the draft: edit and approve), reject, or reply in your own words; the parked flow goes on. Taken once: 409 "already decided by …" afterwards' },
  async ({ runtime, principal, params, body }) => ({
    body: await runtime.escalations.decide(principal.workspaceId, params.id, body, await decider(runtime, principal)),
  })),
];
