import { priceTableInput } from '../../../runtime/index.js';
import { defineRoute, type Route } from '../route.server.js';

const tag = 'ai';

/** The AI price table (decision 032): USD per million prompt/completion tokens per model, edited on the settings page. */
export const aiPriceRoutes: Route[] = [
  defineRoute({ method: 'get', path: '/ai/prices', tag, summary: 'The model price table AI steps cost their tokens with' },
    async ({ runtime, principal }) => ({ body: { prices: await runtime.aiPrices.list(principal.workspaceId) } })),

  defineRoute({ method: 'put', path: '/ai/prices', tag, body: priceTableInput, summary: 'Replace the model price table' },
    async ({ runtime, principal, body }) => ({ body: { prices: await runtime.aiPrices.replace(principal.workspaceId, body) } })),
];
