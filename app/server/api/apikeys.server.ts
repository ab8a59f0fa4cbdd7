import { z } from 'zod';
import { defineRoute, idParams, type Route } from '../route.server.js';

const tag = 'apikeys';

export const apiKeyCreateBody = z.object({
  name: z.string().trim().min(1).max(100),
});

export const apiKeyRoutes: Route[] = [
  defineRoute({ method: 'get', path: '/apikeys', tag, summary: 'List live API keys (prefix only)' },
    async ({ runtime, principal }) => ({ body: await runtime.auth.listApiKeys(principal.workspaceId) })),

  defineRoute({ method: 'post', path: '/apikeys', tag, status: 201, body: apiKeyCreateBody, summary: 'Create an API key; the key is in this response only' },
    async ({ runtime, principal, body }) => ({ status: 201, body: await runtime.auth.createApiKey(principal.workspaceId, body.name) })),

  defineRoute({ method: 'delete', path: '/apikeys/:id', tag, status: 204, params: idParams, summary: 'Revoke an API key' },
    async ({ runtime, principal, params }) => {
      await runtime.auth.revokeApiKey(principal.workspaceId, params.id);
      return { status: 204 };
    }),
];
