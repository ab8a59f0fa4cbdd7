import { decisionListQuery, decisionSummaryQuery } from '../../../runtime/index.js';
import { defineRoute, type Route } from '../route.server.js';

const tag = 'decisions';

/** The decision log (decision 037). */
export const decisionRoutes: Route[] = [
  defineRoute({ method: 'get', path: '/decisions/summary', tag, query: decisionSummaryQuery,
    summary: 'Decisions per UTC day by outcome over the last `days` days (every day listed, empty ones too), and the rules that fired most; filters: flow, kind' },
  async ({ runtime, principal, query }) => ({ body: await runtime.decisions.summary(principal.workspaceId, query) })),

  defineRoute({ method: 'get', path: '/decisions', tag, query: decisionListQuery,
    summary: 'Guardrail, triage and escalation decisions, newest first, a page at a time (`nextBefore`), each with the checked text (PII redacted); filters: flow, kind, outcome, from/to (a bare date is a whole UTC day), rule' },
  async ({ runtime, principal, query }) => ({ body: await runtime.decisions.list(principal.workspaceId, query) })),
];
