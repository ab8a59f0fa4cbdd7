import { z } from 'zod';
import { defineRoute, idParams, type Route } from '../route.server.js';

const tag = 'credentials';

export const credentialCreateBody = z.object({
  name: z.string().trim().min(1).max(200),
  kind: z.string().min(1).max(100),
  /** The secret fields, validated against the kind's schema by the vault; never returned. */
  data: z.record(z.string(), z.unknown()),
});

/**
 * Merged over the stored fields: a field given replaces its value, `null` removes it, a field left
 * out keeps its stored value (an untouched secret stays). The result is validated by the kind's schema.
 */
const fieldsPatch = z.record(z.string(), z.unknown());

export const credentialUpdateBody = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  data: fieldsPatch.optional(),
}).refine((body) => body.name !== undefined || body.data !== undefined, 'give a name, data, or both');

/** Optional: without `data` the stored fields are tested. */
export const credentialTestBody = z.object({ data: fieldsPatch.optional() }).optional();

export const credentialRoutes: Route[] = [
  defineRoute({ method: 'get', path: '/credentials', tag, summary: 'List credentials (never their secrets)' },
    async ({ runtime, principal }) => ({ body: await runtime.credentials.list(principal.workspaceId) })),

  defineRoute({ method: 'post', path: '/credentials', tag, status: 201, body: credentialCreateBody, summary: 'Store a credential, encrypted' },
    async ({ runtime, principal, body }) => ({ status: 201, body: await runtime.credentials.create(principal.workspaceId, body) })),

  defineRoute({ method: 'get', path: '/credentials/:id', tag, params: idParams, summary: 'One credential: its non-secret fields and which secret fields are set (never a secret); accounts whose provider calls back also get `callbackUrl` (and `verifyToken` where the provider needs one pasted)' },
    async ({ runtime, principal, params }) => {
      const credential = await runtime.credentials.get(principal.workspaceId, params.id);
      // Accounts whose provider calls back: where it must deliver, and the token to paste (decision 029).
      const inbound = await runtime.inbound.accountInfo(principal.workspaceId, params.id);
      return { body: { ...credential, ...inbound } };
    }),

  defineRoute({ method: 'patch', path: '/credentials/:id', tag, params: idParams, body: credentialUpdateBody, summary: 'Rename and/or edit a credential; the id stays, so flows stay bound (fields left out keep their stored value)' },
    async ({ runtime, principal, params, body }) => ({ body: await runtime.credentials.update(principal.workspaceId, params.id, body) })),

  defineRoute({ method: 'post', path: '/credentials/:id/test', tag, params: idParams, body: credentialTestBody, summary: 'Test connection with the stored fields, or with `data` merged over them before saving (400 not_testable when the kind has no test)' },
    async ({ runtime, principal, params, body }) => ({ body: await runtime.credentials.test(principal.workspaceId, params.id, body?.data) })),

  defineRoute({ method: 'delete', path: '/credentials/:id', tag, status: 204, params: idParams, summary: 'Delete a credential (409 while a flow uses it)' },
    async ({ runtime, principal, params }) => {
      await runtime.credentials.remove(principal.workspaceId, params.id);
      return { status: 204 };
    }),
];
