import type { FlowDocument } from '../../runtime/flow/document.js';
import type { CredentialSummary } from '../../runtime/services/types.js';

/**
 * Export/import of flow documents (DESIGN §3): an export names each credential slot by kind and
 * name only, and an import binds each slot to a credential of the same kind in the target workspace.
 * Pure functions, shared by the HTTP API and the CLI.
 */

/** The document as exported: credential slots keep `kind` and `name`, never the workspace id. */
export function exportDocument(document: FlowDocument): FlowDocument {
  const credentials: FlowDocument['credentials'] = {};
  for (const [slot, ref] of Object.entries(document.credentials ?? {})) {
    credentials[slot] = ref.name === undefined ? { kind: ref.kind } : { kind: ref.kind, name: ref.name };
  }
  return { ...document, credentials };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Binds each credential slot of an imported document to a credential of this workspace: an id that
 * exists here with the same kind is kept; otherwise the same kind and name, else the only one of
 * that kind. Slots with no match stay unbound for the user to pick. Anything that is not a
 * document-shaped object is returned unchanged for the flow service to reject with its problems.
 */
export function bindCredentials(document: unknown, available: CredentialSummary[]): unknown {
  if (!isRecord(document) || !isRecord(document.credentials)) return document;
  const credentials: Record<string, unknown> = {};
  for (const [slot, ref] of Object.entries(document.credentials)) {
    if (!isRecord(ref) || typeof ref.kind !== 'string') {
      credentials[slot] = ref;
      continue;
    }
    const { id: givenId, ...rest } = ref;
    const sameKind = available.filter((c) => c.kind === ref.kind);
    const match = sameKind.find((c) => c.id === givenId)
      ?? sameKind.find((c) => typeof ref.name === 'string' && c.name === ref.name)
      ?? (sameKind.length === 1 ? sameKind[0] : undefined);
    credentials[slot] = match ? { ...rest, id: match.id } : rest;
  }
  return { ...document, credentials };
}
