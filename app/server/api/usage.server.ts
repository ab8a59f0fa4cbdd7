import { aiUsageQuery } from '../../../runtime/index.js';
import { defineRoute, type Route } from '../route.server.js';

const tag = 'ai';

/** The Usage page's figures: what AI steps spent, from the usage they recorded. */
export const usageRoutes: Route[] = [
  defineRoute({ method: 'get', path: '/usage', tag, query: aiUsageQuery,
    summary: 'Tokens and cost (USD) of AI steps per UTC day (every day of the range), per flow and per provider/model, with totals; from/to are UTC dates, both included (default: the last 30 days), filter: flowId' },
  async ({ runtime, principal, query }) => ({ body: await runtime.aiUsage.report(principal.workspaceId, query) })),
];
