import { z } from 'zod';
import type { Json } from '@switchyard/sdk';
import { flowDocumentSchema } from '../../../runtime/flow/document.js';
import { bindCredentials, exportDocument } from '../flow-export.js';
import { assertKnownImportFormat, importN8n, importQuery, isN8nImportRequest, n8nImportBody } from '../n8n-import.server.js';
import { defineRoute, idParams, type Route } from '../route.server.js';

const tag = 'flows';
/** Flow documents are validated by the flow service against this same schema plus the graph rules. */
const document = { body: flowDocumentSchema, validateBody: false, bodyName: 'FlowDocument' } as const;

export const flowListQuery = z.object({
  search: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export const runBody = z.object({
  /** The trigger's input message. Default: `{}`. */
  input: z.json().optional(),
  priority: z.enum(['high', 'normal', 'low']).optional(),
  /** Pinned outputs for this test run: node id → port → message; those nodes are not run. */
  pinned: z.record(z.string().min(1).max(200), z.record(z.string(), z.json())).optional(),
});

/** `?draft=true` keeps a work-in-progress document with problems (returned in `problems`). */
export const saveQuery = z.object({
  draft: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
});

const versionParams = idParams.extend({ version: z.coerce.number().int().min(1) });

export const flowRoutes: Route[] = [
  defineRoute({ method: 'get', path: '/flows', tag, query: flowListQuery, summary: 'List flows (optionally matching a search)' },
    async ({ runtime, principal, query }) => ({ body: await runtime.flows.list(principal.workspaceId, query) })),

  defineRoute({ method: 'post', path: '/flows', tag, status: 201, ...document, query: saveQuery, summary: 'Create a flow from a document (version 1); `?draft=true` keeps one with problems' },
    async ({ runtime, principal, body, query }) => ({ status: 201, body: await runtime.flows.create(principal.workspaceId, body, { draft: query.draft }) })),

  defineRoute({ method: 'post', path: '/flows/validate', tag, ...document, summary: 'Validate a document; lists every problem' },
    async ({ runtime, principal, body }) => {
      const problems = await runtime.flows.validate(principal.workspaceId, body);
      return { body: { valid: problems.length === 0, problems } };
    }),

  defineRoute({
    method: 'post', path: '/flows/import', tag, status: 201, body: z.union([flowDocumentSchema, n8nImportBody]), validateBody: false, bodyName: 'FlowImport', query: importQuery,
    summary: 'Import a document as a new flow, binding credential slots by kind; or an n8n workflow ({ format: "n8n", workflow }) with an import report, `?dryRun=true` to preview without saving',
  },
    async ({ runtime, principal, body, query }) => {
      if (isN8nImportRequest(body)) {
        const result = await importN8n(runtime, principal.workspaceId, body.workflow, query.dryRun);
        return { status: query.dryRun ? 200 : 201, body: result };
      }
      assertKnownImportFormat(body);
      const bound = bindCredentials(body, await runtime.credentials.list(principal.workspaceId));
      return { status: 201, body: await runtime.flows.create(principal.workspaceId, bound) };
    }),

  defineRoute({ method: 'get', path: '/flows/:id', tag, params: idParams, summary: 'A flow with its latest document' },
    async ({ runtime, principal, params }) => ({ body: await runtime.flows.get(principal.workspaceId, params.id) })),

  defineRoute({ method: 'put', path: '/flows/:id', tag, params: idParams, ...document, query: saveQuery, summary: 'Save a new version of the flow (history is kept); `?draft=true` keeps one with problems' },
    async ({ runtime, principal, params, body, query }) => ({ body: await runtime.flows.update(principal.workspaceId, params.id, body, { draft: query.draft }) })),

  defineRoute({ method: 'delete', path: '/flows/:id', tag, status: 204, params: idParams, summary: 'Deactivate and delete the flow' },
    async ({ runtime, principal, params }) => {
      await runtime.flows.remove(principal.workspaceId, params.id);
      return { status: 204 };
    }),

  defineRoute({ method: 'get', path: '/flows/:id/versions', tag, params: idParams, summary: 'Saved versions of the flow' },
    async ({ runtime, principal, params }) => ({ body: await runtime.flows.versions(principal.workspaceId, params.id) })),

  defineRoute({ method: 'get', path: '/flows/:id/versions/:version', tag, params: versionParams, summary: 'The document of one saved version' },
    async ({ runtime, principal, params }) => ({ body: await runtime.flows.getVersion(principal.workspaceId, params.id, params.version) })),

  defineRoute({ method: 'post', path: '/flows/:id/activate', tag, params: idParams, summary: 'Turn the flow\'s triggers on (validates for activation)' },
    async ({ runtime, principal, params }) => ({ body: await runtime.flows.activate(principal.workspaceId, params.id) })),

  defineRoute({ method: 'post', path: '/flows/:id/deactivate', tag, params: idParams, summary: 'Turn the flow\'s triggers off' },
    async ({ runtime, principal, params }) => ({ body: await runtime.flows.deactivate(principal.workspaceId, params.id) })),

  defineRoute({ method: 'post', path: '/flows/:id/run', tag, status: 202, params: idParams, body: runBody, summary: 'Queue a manual run' },
    async ({ runtime, principal, params, body }) => {
      const input: Json = body.input ?? {};
      const result = await runtime.executions.run(principal.workspaceId, params.id, input, { mode: 'manual', priority: body.priority, pinned: body.pinned });
      return { status: 202, body: result };
    }),

  defineRoute({ method: 'get', path: '/flows/:id/export', tag, params: idParams, summary: 'The flow\'s document for export (no credential ids)' },
    async ({ runtime, principal, params, res }) => {
      const flow = await runtime.flows.get(principal.workspaceId, params.id);
      res.setHeader('content-disposition', `attachment; filename="${flow.id.replace(/[^A-Za-z0-9_.-]/g, '_')}.flow.json"`);
      return { body: exportDocument(flow.document) };
    }),
];
