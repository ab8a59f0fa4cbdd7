import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { z } from 'zod';
import { AppError, NotFoundError, type Problem } from '../errors.js';
import type { FlowDocument } from '../flow/document.js';
import type { NodeRegistry } from '../../nodes/index.js';
import type { CredentialService, FlowRecord, FlowService } from '../services/types.js';
import { checkTemplate, checkTemplateFile, type LoadedTemplate } from './loader.js';
import {
  TEAM_CATEGORY, templateExportInput, templateImportInput, templateListQuery,
  type TemplateDetail, type TemplateFile, type TemplateImportResult, type TemplateMeta, type TemplateSummary,
} from './schema.js';

/** The category listed first, whatever the order of the rest. */
const GETTING_STARTED = 'Getting started';

/** The gallery, the import with its credential mapping, team templates and export as template. */
export interface TemplateService {
  /** Shipped and team templates matching the query, with every category there is. */
  list(workspaceId: string, query?: z.input<typeof templateListQuery>): Promise<{ templates: TemplateSummary[]; categories: string[] }>;
  get(workspaceId: string, id: string): Promise<TemplateDetail>;
  /**
   * A new inactive flow from the template, each slot bound to the credential the caller chose. A
   * slot left out stays unbound and is named in `unmapped`; a credential of the wrong kind, one
   * that does not exist or a slot the template does not have is a 400 naming the slot. Nothing is
   * ever bound by guessing.
   */
  import(workspaceId: string, id: string, input: z.input<typeof templateImportInput>): Promise<TemplateImportResult & { flow: FlowRecord }>;
  /** Saves a `{ template, flow }` file as a team template (category `Team`). */
  saveTeam(workspaceId: string, file: unknown, userId?: string): Promise<TemplateSummary>;
  /** Deletes a team template (shipped ones cannot be deleted: 404). */
  removeTeam(workspaceId: string, id: string): Promise<void>;
  /** A flow of this workspace as a template file: credentials become slots, ids stripped. */
  exportFlow(workspaceId: string, input: z.input<typeof templateExportInput>): Promise<TemplateFile>;
  /** Shipped templates that failed their checks at startup, with the reason. */
  refused(): { id: string; message: string }[];
}

export interface TemplateServiceDeps {
  knex: Knex;
  registry: () => NodeRegistry;
  flows: FlowService;
  credentials: CredentialService;
  /** A credential kind's title for the cards ("Telegram bot"); the kind itself when unknown. */
  kindTitle: (kind: string) => string;
  /** The shipped templates, checked at startup (`loadTemplates`). */
  shipped: LoadedTemplate[];
  refused: { id: string; message: string }[];
}

interface TeamRow {
  id: string;
  meta: TemplateMeta;
  flow: FlowDocument;
}

function summarize(template: LoadedTemplate, source: TemplateSummary['source'], kindTitle: (kind: string) => string): TemplateSummary {
  const { meta, flow } = template;
  return {
    id: template.id, title: meta.title, description: meta.description, category: meta.category, tags: meta.tags, source,
    credentials: Object.fromEntries(Object.entries(meta.credentials).map(([slot, c]) => [slot, { ...c, kindTitle: kindTitle(c.kind) }])),
    plugins: meta.plugins,
    nodeTypes: [...new Set(flow.nodes.map((n) => n.type))],
    nodeCount: flow.nodes.length,
  };
}

function matches(summary: TemplateSummary, search: string | undefined, category: string | undefined): boolean {
  if (category && summary.category.toLowerCase() !== category.toLowerCase()) return false;
  if (!search) return true;
  const needle = search.toLowerCase();
  return [summary.title, summary.description, ...summary.tags, ...summary.nodeTypes].some((text) => text.toLowerCase().includes(needle));
}

/** The document without workspace-specific credential ids: what leaves this workspace. */
function withoutCredentialIds(document: FlowDocument): FlowDocument {
  const credentials: FlowDocument['credentials'] = {};
  for (const [slot, ref] of Object.entries(document.credentials)) {
    credentials[slot] = ref.name === undefined ? { kind: ref.kind } : { kind: ref.kind, name: ref.name };
  }
  return { ...document, credentials };
}

export function createTemplateService(deps: TemplateServiceDeps): TemplateService {
  const { knex, flows, credentials, kindTitle } = deps;
  const shipped = new Map(deps.shipped.map((t) => [t.id, t]));

  async function teamRows(workspaceId: string): Promise<LoadedTemplate[]> {
    const rows: TeamRow[] = await knex('team_templates').where({ workspace_id: workspaceId }).orderBy('created_at', 'desc').select('id', 'meta', 'flow');
    return rows.map((row) => ({ id: row.id, meta: row.meta, flow: row.flow, upgraded: [] }));
  }

  /** A template by id; team templates go through the version check again (node types move on). */
  async function find(workspaceId: string, id: string): Promise<{ template: LoadedTemplate; source: TemplateSummary['source'] }> {
    const builtin = shipped.get(id);
    if (builtin) return { template: builtin, source: 'shipped' };
    const row: TeamRow | undefined = await knex('team_templates').where({ workspace_id: workspaceId, id }).first('id', 'meta', 'flow');
    if (!row) throw new NotFoundError('template', id);
    return { template: { id: row.id, ...checkTemplate(row.meta, row.flow, deps.registry()) }, source: 'team' };
  }

  return {
    async list(workspaceId, query = {}) {
      const all = [
        ...[...shipped.values()].map((t) => summarize(t, 'shipped', kindTitle)),
        ...(await teamRows(workspaceId)).map((t) => summarize(t, 'team', kindTitle)),
      ];
      const categories = [...new Set(all.map((t) => t.category))].sort((a, b) => a.localeCompare(b));
      // "Getting started" first: the flows page of a newcomer shows only the first few, and the
      // hello world must be among them however many templates sort before it (stable otherwise).
      const starters = (t: TemplateSummary) => (t.category === GETTING_STARTED ? 0 : 1);
      const templates = all.filter((t) => matches(t, query.search, query.category)).sort((a, b) => starters(a) - starters(b));
      return { templates, categories };
    },

    async get(workspaceId, id) {
      const { template, source } = await find(workspaceId, id);
      return { ...summarize(template, source, kindTitle), flow: template.flow, upgraded: template.upgraded };
    },

    async import(workspaceId, id, input) {
      const { template } = await find(workspaceId, id);
      const request = templateImportInput.parse(input);
      const available = await credentials.list(workspaceId);
      const slots = template.flow.credentials;
      const problems: Problem[] = [];
      const document: FlowDocument = { ...template.flow, credentials: { ...slots }, ...(request.name ? { name: request.name } : {}) };
      for (const [slot, credentialId] of Object.entries(request.credentials)) {
        const path = ['credentials', slot];
        const ref = Object.hasOwn(slots, slot) ? slots[slot] : undefined;
        if (!ref) {
          problems.push({ code: 'unknown_slot', path, message: `the template has no credential slot "${slot}" (slots: ${Object.keys(slots).join(', ') || 'none'})` });
          continue;
        }
        const credential = available.find((c) => c.id === credentialId);
        if (!credential) {
          problems.push({ code: 'unknown_credential', path, message: `slot "${slot}": no credential "${credentialId}" in this workspace` });
        } else if (credential.kind !== ref.kind) {
          problems.push({ code: 'credential_kind_mismatch', path, message: `slot "${slot}" needs a "${ref.kind}" credential, but "${credential.name}" is "${credential.kind}"` });
        } else {
          document.credentials[slot] = { ...ref, id: credential.id };
        }
      }
      if (problems.length > 0) throw new AppError(400, problems[0]!.code ?? 'invalid_credentials', problems.map((p) => p.message).join('; '), problems);
      // Imported inactive: the caller (or the wizard) activates once the flow is complete.
      const flow = await flows.create(workspaceId, document);
      const unmapped = Object.entries(slots)
        .filter(([slot]) => !Object.hasOwn(request.credentials, slot))
        .map(([slot, ref]) => ({ slot, kind: ref.kind, help: template.meta.credentials[slot]?.help ?? `A ${ref.kind} credential` }));
      return { flowId: flow.id, flow, unmapped, upgraded: template.upgraded };
    },

    async saveTeam(workspaceId, file, userId) {
      const checked = checkTemplateFile(file, deps.registry());
      const meta: TemplateMeta = { ...checked.meta, category: TEAM_CATEGORY };
      const flow = withoutCredentialIds(checked.flow);
      const id = `team-${randomUUID()}`;
      await knex('team_templates').insert({ id, workspace_id: workspaceId, meta: JSON.stringify(meta), flow: JSON.stringify(flow), created_by: userId ?? null });
      return summarize({ id, meta, flow, upgraded: checked.upgraded }, 'team', kindTitle);
    },

    async removeTeam(workspaceId, id) {
      const deleted = await knex('team_templates').where({ workspace_id: workspaceId, id }).delete();
      if (deleted === 0) throw new NotFoundError('team template', id);
    },

    async exportFlow(workspaceId, input) {
      const request = templateExportInput.parse(input);
      const record = await flows.get(workspaceId, request.flowId);
      const flow = withoutCredentialIds(record.document);
      const meta: TemplateMeta = {
        format: 'switchyard/template@1',
        title: request.title, description: request.description, category: request.category, tags: request.tags,
        credentials: Object.fromEntries(Object.entries(flow.credentials).map(([slot, ref]) => [slot, { kind: ref.kind, help: request.help[slot] ?? `A ${kindTitle(ref.kind)} credential` }])),
        plugins: [],
        nodeVersions: Object.fromEntries(flow.nodes.map((n) => [n.type, n.typeVersion])),
      };
      // The same checks an import makes, so an export that would not import fails here, not there.
      checkTemplate(meta, flow, deps.registry());
      return { template: meta, flow };
    },

    refused: () => deps.refused,
  };
}
