import { useEffect, useState } from 'react';
import type { Json } from '@switchyard/sdk';
import { api, plainMessage } from '../api';
import { writePins } from '../run/pins';
import { ErrorBanner } from '../ui/bits';
import { Modal } from '../ui/Modal';
import { isRecord } from '../form/schema';

/** The import report as the API answers it (runtime/import/n8n/report.ts). */
interface NodeReport {
  name: string;
  n8nType: string;
  outcome: 'mapped' | 'changed' | 'not_mapped' | 'folded' | 'dropped';
  nodeId?: string;
  type?: string;
  changes: string[];
  itemSemantics: string[];
  warnings: string[];
  expressions: { total: number; translated: number };
  review?: boolean;
}
interface ImportAnswer {
  flowId?: string;
  report: {
    workflowName: string;
    nodes: NodeReport[];
    notes: string[];
    summary: {
      nodes: number; mapped: number; changed: number; notMapped: number; folded: number;
      expressions: number; expressionsTranslated: number;
      credentials: { slot: string; kind: string; name?: string }[];
      review: string[];
    };
  };
  pins: Record<string, Record<string, Json>>;
}

/** Whether a parsed file is an n8n workflow export rather than a Switchyard flow document. */
export function looksLikeN8nWorkflow(value: unknown): boolean {
  return isRecord(value) && value.format === undefined && Array.isArray(value.nodes) && isRecord(value.connections);
}

const OUTCOME: Record<NodeReport['outcome'], string> = {
  mapped: 'Mapped', changed: 'Mapped with changes', not_mapped: 'Not mapped (placeholder)', folded: 'Folded into its parent', dropped: 'Dropped',
};

/**
 * The flows page's n8n import (decision 039): shows the import report from a dry run first, and
 * only on "Import" saves the flow (inactive), keeping n8n's pinned data as the flow's pins.
 */
export function N8nImportDialog({ fileName, workflow, onClose, onImported }: {
  fileName: string; workflow: unknown; onClose(): void; onImported(flowId: string): void;
}) {
  const [preview, setPreview] = useState<ImportAnswer>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    api<ImportAnswer>('/flows/import?dryRun=true', { method: 'POST', body: { format: 'n8n', workflow }, signal: controller.signal })
      .then(setPreview, (e: unknown) => { if (!controller.signal.aborted) setError(plainMessage(e)); });
    return () => controller.abort();
  }, [workflow]);

  async function save() {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api<ImportAnswer>('/flows/import', { method: 'POST', body: { format: 'n8n', workflow } });
      if (Object.keys(answer.pins).length > 0) writePins(window.localStorage, answer.flowId!, answer.pins);
      onImported(answer.flowId!);
    } catch (e) {
      setError(plainMessage(e));
      setBusy(false);
    }
  }

  const s = preview?.report.summary;
  return (
    <Modal title={`Import n8n workflow "${fileName}"`} onClose={onClose} busy={busy} wide>
      <ErrorBanner message={error} />
      {!preview && !error && <p className="muted">Reading the workflow…</p>}
      {preview && s && (
        <div>
          <p>
            <strong>{preview.report.workflowName || fileName}</strong>: {s.nodes} nodes — {s.mapped} mapped, {s.changed} mapped with changes,{' '}
            {s.notMapped} not mapped{s.folded > 0 ? `, ${s.folded} folded into the node they serve` : ''}. Expressions translated: {s.expressionsTranslated} of {s.expressions}.
          </p>
          <p className="muted">The flow is imported inactive. Nodes that are not mapped stay on the canvas as disabled placeholders with their original settings; the flow runs once they are rebuilt.</p>
          {s.review.length > 0 && <p role="note"><strong>Review before activating:</strong> imported code in {s.review.join(', ')}.</p>}
          {s.credentials.length > 0 && (
            <p>Credentials to connect: {s.credentials.map((c) => `${c.slot} (${c.kind}${c.name ? `, was "${c.name}"` : ''})`).join(', ')}.</p>
          )}
          <table className="list" aria-label="Import report">
            <thead><tr><th>n8n node</th><th>Result</th><th>Details</th></tr></thead>
            <tbody>
              {preview.report.nodes.map((node) => (
                <tr key={node.name}>
                  <td>{node.name}<div className="muted">{node.n8nType}</div></td>
                  <td>
                    <span className={`badge${node.outcome === 'not_mapped' ? ' failed' : node.outcome === 'changed' ? ' waiting' : node.outcome === 'mapped' ? ' succeeded' : ''}`}>{OUTCOME[node.outcome]}</span>
                    {node.type && node.outcome !== 'not_mapped' && <div className="muted">{node.type}</div>}
                  </td>
                  <td>
                    <ul style={{ margin: 0, paddingLeft: 16 }}>
                      {node.warnings.map((w, i) => <li key={`w${i}`}><strong>{w}</strong></li>)}
                      {node.changes.map((c, i) => <li key={`c${i}`}>{c}</li>)}
                      {node.itemSemantics.map((t, i) => <li key={`i${i}`} className="muted">Items: {t}</li>)}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.report.notes.length > 0 && <ul>{preview.report.notes.map((n, i) => <li key={i}>{n}</li>)}</ul>}
        </div>
      )}
      <div className="modal-actions">
        <button type="button" onClick={onClose} disabled={busy}>Cancel</button>
        <button type="button" className="primary" onClick={() => void save()} disabled={!preview || busy}>Import as an inactive flow</button>
      </div>
    </Modal>
  );
}
