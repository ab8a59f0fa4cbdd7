import { teamTemplateInput, templateExportInput, templateImportInput, templateListQuery } from '../../../runtime/index.js';
import { defineRoute, idParams, type Route } from '../route.server.js';

const tag = 'templates';

/** The gallery (decision 038): shipped templates from `templates/`, team templates from the database. */
export const templateRoutes: Route[] = [
  defineRoute({ method: 'get', path: '/templates', tag, query: templateListQuery, summary: 'Shipped and team templates (search matches title, description, tags and node types; category filters), with every category' },
    async ({ runtime, principal, query }) => ({ body: await runtime.templates.list(principal.workspaceId, query) })),

  defineRoute({ method: 'post', path: '/templates', tag, status: 201, body: teamTemplateInput, bodyName: 'TemplateFile',
    summary: 'Save a `{ template, flow }` file (what "Export as template" downloads) as a team template: category "Team", credential ids dropped; 400 naming each problem, or `template_outdated` naming nodes this installation cannot run' },
  async ({ runtime, principal, body }) => ({ status: 201, body: await runtime.templates.saveTeam(principal.workspaceId, body, principal.userId) })),

  defineRoute({ method: 'post', path: '/templates/export', tag, body: templateExportInput,
    summary: 'A flow of this workspace as a `{ template, flow }` file: credentials become slots (kind, setup help), credential ids stripped, node versions recorded' },
  async ({ runtime, principal, body }) => ({ body: await runtime.templates.exportFlow(principal.workspaceId, body) })),

  defineRoute({ method: 'get', path: '/templates/:id', tag, params: idParams, summary: 'One template with its flow document (for the preview), the credential slots it needs and the node upgrades it got' },
    async ({ runtime, principal, params }) => ({ body: await runtime.templates.get(principal.workspaceId, params.id) })),

  defineRoute({ method: 'post', path: '/templates/:id/import', tag, status: 201, params: idParams, body: templateImportInput,
    summary: 'A new inactive flow from the template with `{ credentials: { <slot>: <credentialId> } }`: slots left out are named in `unmapped` (never bound by guessing); a credential of the wrong kind or unknown is a 400 naming the slot' },
  async ({ runtime, principal, params, body }) => {
    const { flow, ...result } = await runtime.templates.import(principal.workspaceId, params.id, body);
    return { status: 201, body: { ...result, flow: { id: flow.id, name: flow.name, active: flow.active, version: flow.version } } };
  }),

  defineRoute({ method: 'delete', path: '/templates/:id', tag, status: 204, params: idParams, summary: 'Delete a team template (shipped templates cannot be deleted: 404)' },
    async ({ runtime, principal, params }) => {
      await runtime.templates.removeTeam(principal.workspaceId, params.id);
      return { status: 204 };
    }),
];
