import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { AppError, type Problem } from '../errors.js';
import { flowDocumentSchema, type FlowDocument } from '../flow/document.js';
import { assertSafeJsonValue, parseUntrustedJson } from '../flow/untrusted.js';
import type { NodeRegistry } from '../../nodes/index.js';
import { templateIdSchema, templateMetaSchema, type NodeUpgrade, type TemplateMeta } from './schema.js';
import { upgradeDocument } from './upgrade.js';

/** The shipped templates: `templates/` at the root of the checkout. */
export const SHIPPED_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** A template that passed every check, its document at the node versions this installation runs. */
export interface LoadedTemplate {
  id: string;
  meta: TemplateMeta;
  flow: FlowDocument;
  upgraded: NodeUpgrade[];
}

/** A template file or folder that is not acceptable; details name each problem and where. */
export class InvalidTemplateError extends AppError {
  override name = 'InvalidTemplateError';
  constructor(message: string, details: Problem[]) {
    super(400, 'invalid_template', message, details);
  }
}

function issues(error: z.ZodError, file: string): Problem[] {
  return error.issues.map((i) => ({ code: 'invalid_template', path: [file, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: `${file}${i.path.length ? ` ${i.path.join('.')}` : ''}: ${i.message}` }));
}

/**
 * Checks a template's two parts and how they agree: the metadata schema, the flow document schema,
 * every credential slot of the document described in the metadata with the same kind (and no
 * description of a slot the flow does not have), and `nodeVersions` matching the document's node
 * versions. Then the version check: nodes written for older versions are upgraded or the template is
 * refused naming them (`template_outdated`). Both parts must already have passed the untrusted-JSON gate.
 */
export function checkTemplate(rawMeta: unknown, rawFlow: unknown, registry: NodeRegistry): { meta: TemplateMeta; flow: FlowDocument; upgraded: NodeUpgrade[] } {
  const meta = templateMetaSchema.safeParse(rawMeta);
  const flow = flowDocumentSchema.safeParse(rawFlow);
  const problems: Problem[] = [
    ...(meta.success ? [] : issues(meta.error, 'template.json')),
    ...(flow.success ? [] : issues(flow.error, 'flow.json')),
  ];
  if (meta.success && flow.success) {
    const slots = flow.data.credentials;
    for (const [slot, ref] of Object.entries(slots)) {
      const described = Object.hasOwn(meta.data.credentials, slot) ? meta.data.credentials[slot] : undefined;
      if (!described) problems.push({ code: 'undescribed_slot', path: ['template.json', 'credentials', slot], message: `credential slot "${slot}" (${ref.kind}) of flow.json has no setup help in template.json` });
      else if (described.kind !== ref.kind) problems.push({ code: 'slot_kind_mismatch', path: ['template.json', 'credentials', slot], message: `credential slot "${slot}" is "${ref.kind}" in flow.json but "${described.kind}" in template.json` });
    }
    for (const slot of Object.keys(meta.data.credentials)) {
      if (!Object.hasOwn(slots, slot)) problems.push({ code: 'unknown_slot', path: ['template.json', 'credentials', slot], message: `template.json describes credential slot "${slot}", which flow.json does not have` });
    }
    for (const node of flow.data.nodes) {
      const declared = Object.hasOwn(meta.data.nodeVersions, node.type) ? meta.data.nodeVersions[node.type] : undefined;
      if (declared !== node.typeVersion) {
        problems.push({ code: 'node_version_mismatch', nodeId: node.id, path: ['template.json', 'nodeVersions', node.type], message: `node "${node.id}" is ${node.type} version ${node.typeVersion}, but template.json says it was written for ${declared === undefined ? 'no version of it' : `version ${declared}`}` });
      }
    }
  }
  if (problems.length > 0 || !meta.success || !flow.success) {
    throw new InvalidTemplateError(problems.map((p) => p.message).slice(0, 5).join('; '), problems);
  }
  const { document, upgraded } = upgradeDocument(flow.data, registry);
  return { meta: meta.data, flow: document, upgraded };
}

/** The `{ template, flow }` one-file form (an export), through the untrusted-JSON gate first. */
export function checkTemplateFile(value: unknown, registry: NodeRegistry): { meta: TemplateMeta; flow: FlowDocument; upgraded: NodeUpgrade[] } {
  assertSafeJsonValue(value);
  const file = typeof value === 'object' && value !== null && !Array.isArray(value) ? value as { template?: unknown; flow?: unknown } : {};
  return checkTemplate(file.template, file.flow, registry);
}

/**
 * Reads every `<dir>/<id>/{template.json,flow.json}` at startup. A folder that fails its checks is
 * left out of the gallery and reported in `refused` (the process still starts): one broken or
 * outdated template must not take the others down.
 */
export async function loadTemplates(dir: string, registry: NodeRegistry): Promise<{ templates: LoadedTemplate[]; refused: { id: string; message: string }[] }> {
  const templates: LoadedTemplate[] = [];
  const refused: { id: string; message: string }[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { templates, refused };
    throw error;
  }
  // `_testing/` and the like hold what the templates' tests share, not templates.
  for (const entry of entries.filter((e) => e.isDirectory() && !/^[_.]/.test(e.name)).sort((a, b) => a.name.localeCompare(b.name))) {
    const id = entry.name;
    try {
      if (!templateIdSchema.safeParse(id).success) throw new Error('the folder name is not a template id (lowercase letters, digits and dashes)');
      const [metaText, flowText] = await Promise.all([
        readFile(join(dir, id, 'template.json')), readFile(join(dir, id, 'flow.json')),
      ]);
      const checked = checkTemplate(parseUntrustedJson(metaText), parseUntrustedJson(flowText), registry);
      templates.push({ id, ...checked });
    } catch (error) {
      refused.push({ id, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { templates, refused };
}
