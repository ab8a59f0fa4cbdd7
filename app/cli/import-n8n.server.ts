import fs from 'node:fs/promises';
import path from 'node:path';
import { parseUntrustedJson, UntrustedDocumentError } from '../../runtime/import/index.js';
import type { ImportReport } from '../../runtime/import/index.js';
import { importN8n } from '../server/n8n-import.server.js';
import { CLI_WORKSPACE, CliError, withRuntime } from './commands.server.js';
import type { CliIo } from './io.js';

/** The report as lines for a terminal: the summary, then each node that is not simply mapped. */
export function formatReport(report: ImportReport): string[] {
  const s = report.summary;
  const lines = [
    `n8n workflow "${report.workflowName}": ${s.nodes} nodes: ${s.mapped} mapped, ${s.changed} mapped with changes, ${s.notMapped} not mapped (placeholders), ${s.folded} folded into their parent`,
    `expressions: ${s.expressionsTranslated} of ${s.expressions} translated`,
  ];
  if (s.credentials.length > 0) lines.push(`credential slots: ${s.credentials.map((c) => `${c.slot} (${c.kind}${c.name ? `, was "${c.name}"` : ''})`).join(', ')}`);
  if (s.review.length > 0) lines.push(`review before activating (imported code): ${s.review.join(', ')}`);
  for (const node of report.nodes) {
    if (node.outcome === 'mapped') continue;
    lines.push(`- ${node.name} (${node.n8nType}) → ${node.outcome === 'not_mapped' ? 'NOT MAPPED, placeholder' : node.outcome === 'folded' ? 'folded' : node.type}`);
    for (const text of [...node.warnings.map((w) => `! ${w}`), ...node.changes, ...node.itemSemantics.map((i) => `items: ${i}`)]) lines.push(`    ${text}`);
  }
  for (const note of report.notes) lines.push(`note: ${note}`);
  return lines;
}

/** `switchyard import --from n8n <file>`: prints the new flow's id on stdout and the report on stderr. */
export async function importN8nFlow(io: CliIo, file: string): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path.resolve(io.cwd, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file}: ${code ?? String(error)}`);
  }
  let workflow: unknown;
  try {
    workflow = parseUntrustedJson(bytes);
  } catch (error) {
    if (error instanceof UntrustedDocumentError) throw new CliError(`${file}: ${error.message}`);
    throw error;
  }
  const result = await withRuntime(io, (runtime) => importN8n(runtime, CLI_WORKSPACE, workflow, false));
  io.stdout(result.flowId!);
  for (const line of formatReport(result.report)) io.stderr(line);
  if (Object.keys(result.pins).length > 0) io.stderr(`pinned data for ${Object.keys(result.pins).length} node(s) is in the API answer (POST /api/flows/import); the CLI does not keep pins`);
  return 0;
}
