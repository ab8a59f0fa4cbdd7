import { z } from 'zod';
import { convertN8nWorkflow, UntrustedDocumentError, type N8nImport } from '../../runtime/import/index.js';
import type { Runtime } from '../../runtime/index.js';
import type { FlowRecord } from '../../runtime/services/types.js';
import { bindCredentials } from './flow-export.js';

/**
 * `POST /api/flows/import` with `{ "format": "n8n", "workflow": … }` (decision 039): the n8n
 * workflow is converted (runtime/import), and unless it is a dry run, saved as a new inactive flow.
 * Shared by the HTTP API and the CLI.
 */
export const n8nImportBody = z.object({
  format: z.literal('n8n'),
  /** The n8n workflow export (what n8n's "Download" or "Copy" gives). */
  workflow: z.json(),
});

/** `?dryRun=true` converts and answers the document and report without saving (the Import dialog's preview). */
export const importQuery = z.object({
  dryRun: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
});

/**
 * Refuses `{ format: "<other>", workflow }`: an import body naming a format we do not read (a flow
 * document carries its nodes at the top level, never under `workflow`).
 */
export function assertKnownImportFormat(body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('workflow' in body)) return;
  const format = (body as { format?: unknown }).format;
  if (format !== 'n8n') throw new UntrustedDocumentError(`unknown import format ${JSON.stringify(format ?? null)}; supported: "n8n" (or a switchyard/flow@1 document)`, ['format']);
}

/** Whether a body asks for an n8n import (anything else is a flow document). */
export function isN8nImportRequest(body: unknown): body is { format: 'n8n'; workflow: unknown } {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && (body as { format?: unknown }).format === 'n8n';
}

export interface N8nImportResult {
  /** The saved flow (absent on a dry run); always inactive, saved as a draft so placeholders are listed in `problems`. */
  flow?: FlowRecord;
  /** The flow's id (absent on a dry run). */
  flowId?: string;
  document: N8nImport['document'];
  report: N8nImport['report'];
  /** Pinned outputs by node id and port, for the editor to keep (pins are not part of documents). */
  pins: N8nImport['pins'];
}

export async function importN8n(runtime: Runtime, workspaceId: string, workflow: unknown, dryRun: boolean): Promise<N8nImportResult> {
  // Built-in node types: every type the importer maps to is built in.
  const converted = convertN8nWorkflow(workflow);
  if (dryRun) return { document: converted.document, report: converted.report, pins: converted.pins };
  const bound = bindCredentials(converted.document, await runtime.credentials.list(workspaceId));
  const flow = await runtime.flows.create(workspaceId, bound, { draft: true });
  return { flow, flowId: flow.id, document: flow.document, report: converted.report, pins: converted.pins };
}
