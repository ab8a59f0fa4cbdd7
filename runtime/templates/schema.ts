import { z } from 'zod';
import type { FlowDocument } from '../flow/document.js';

/** Template ids are folder names: lowercase words joined by dashes (`webhook-transform-respond`). */
export const templateIdSchema = z.string().min(3).max(80).regex(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/, 'template ids are lowercase letters, digits and dashes');

/** One credential slot the template needs: the key of the flow document's `credentials` map. */
export const templateCredentialSlotSchema = z.object({
  /** Credential kind, e.g. `openai-compatible`; must match the document's slot. */
  kind: z.string().min(1).max(100),
  /** One line telling a newcomer where to get it ("Create a bot with @BotFather and paste its token"). */
  help: z.string().min(1).max(300),
});

/** Category of the shipped templates; team templates are always `Team`. */
export const TEAM_CATEGORY = 'Team';

/**
 * `template.json`: what the gallery shows and the import checks. The flow itself is `flow.json`
 * (`switchyard/flow@1`) next to it.
 */
export const templateMetaSchema = z.object({
  format: z.literal('switchyard/template@1'),
  title: z.string().trim().min(1).max(120),
  description: z.string().trim().min(1).max(1000),
  /** Gallery section, e.g. `Getting started`, `AI`, `Messaging`, `Payments`. */
  category: z.string().trim().min(1).max(60),
  tags: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
  /** Slot name (a key of the document's `credentials`) → what it needs. Default: none. */
  credentials: z.record(z.string().min(1).max(120), templateCredentialSlotSchema).default({}),
  /** npm names of plugins whose nodes the flow uses. Default: none (built-in nodes only). */
  plugins: z.array(z.string().min(1).max(214)).max(50).default([]),
  /**
   * Node type → version the template was written for. Must agree with the document's
   * `typeVersion`s; an older version is upgraded on import when the type declares how.
   */
  nodeVersions: z.record(z.string().min(1).max(200), z.number().int().min(1)),
});
export type TemplateMeta = z.infer<typeof templateMetaSchema>;
export type TemplateMetaInput = z.input<typeof templateMetaSchema>;

/** A template as the gallery lists it. */
export interface TemplateSummary {
  id: string;
  title: string;
  description: string;
  category: string;
  tags: string[];
  /** `shipped` with the product (`templates/`) or saved by a workspace member (`team`). */
  source: 'shipped' | 'team';
  credentials: Record<string, z.infer<typeof templateCredentialSlotSchema> & { kindTitle: string }>;
  plugins: string[];
  /** Node types it uses, for the card ("Webhook, Set, Respond"). */
  nodeTypes: string[];
  nodeCount: number;
}

/** One template with its document, for the preview and the wizard. */
export interface TemplateDetail extends TemplateSummary {
  flow: FlowDocument;
  /** Nodes brought to the current versions of their types on the way in. */
  upgraded: NodeUpgrade[];
}

export interface NodeUpgrade {
  nodeId: string;
  type: string;
  from: number;
  to: number;
}

/** `GET /api/templates`. */
export const templateListQuery = z.object({
  /** Matches title, description, tags and node types, case-insensitively. */
  search: z.string().trim().max(200).optional(),
  category: z.string().trim().max(60).optional(),
});

/** `POST /api/templates/:id/import`: each slot mapped to a credential of this workspace. */
export const templateImportInput = z.object({
  /** Slot → credential id. A slot left out stays unbound and is named in the answer. Default: none. */
  credentials: z.record(z.string().min(1).max(120), z.string().min(1).max(200)).default({}),
  /** Name of the new flow. Default: the template's flow name. */
  name: z.string().trim().min(1).max(200).optional(),
}).default({ credentials: {} });

/**
 * `POST /api/templates`: a team template from an export (`{ template, flow }`, what "Export as
 * template" downloads). The category is always `Team`, whatever the file says.
 */
export const teamTemplateInput = z.object({
  template: templateMetaSchema,
  /** Checked by the flow document schema and the template rules in the service. */
  flow: z.unknown(),
});

/** `POST /api/templates/export`: a flow of this workspace as a template file. */
export const templateExportInput = z.object({
  flowId: z.string().min(1).max(200),
  title: z.string().trim().min(1).max(120),
  description: z.string().trim().min(1).max(1000),
  category: z.string().trim().min(1).max(60).default('Other'),
  tags: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
  /** Slot → setup help; a slot not given gets "A <kind> credential". Default: none. */
  help: z.record(z.string().min(1).max(120), z.string().trim().min(1).max(300)).default({}),
});

/** The result of an import. */
export interface TemplateImportResult {
  flowId: string;
  /** Slots left unbound: the flow cannot be activated until each gets a credential. */
  unmapped: { slot: string; kind: string; help: string }[];
  upgraded: NodeUpgrade[];
}

/** The one-file form of a template folder (`template.json` + `flow.json`). */
export interface TemplateFile {
  template: TemplateMeta;
  flow: FlowDocument;
}
