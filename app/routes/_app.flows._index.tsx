import { useCallback, useEffect, useRef, useState } from 'react';
import type { MetaFunction } from '@remix-run/node';
import { Link, useNavigate } from '@remix-run/react';
import type { FlowRecord, FlowSummary, TriggerProblem } from '../../runtime/services/types.js';
import { api, plainMessage, problemsOf, timeAgo, type Problem } from '~/editor/api';
import { downloadExport, duplicateFlow, readJsonFile, renameFlow, setFlowActive } from '~/editor/flows-actions';
import { EmptyState, ErrorBanner, ProblemList, StatusBadge, Toggle } from '~/editor/ui/bits';
import { ConfirmDialog, Modal } from '~/editor/ui/Modal';
import { TemplateGallery } from '~/editor/templates/TemplateGallery';
import { looksLikeN8nWorkflow, N8nImportDialog } from '~/editor/n8n/N8nImportDialog';

export const meta: MetaFunction = () => [{ title: 'Flows · Switchyard' }];

type Failure = { title: string; problems: Problem[] } | undefined;

export default function Flows() {
  const navigate = useNavigate();
  const [flows, setFlows] = useState<FlowSummary[]>();
  const [search, setSearch] = useState('');
  const [error, setError] = useState<string>();
  const [failure, setFailure] = useState<Failure>();
  const [renaming, setRenaming] = useState<FlowSummary>();
  const [deleting, setDeleting] = useState<FlowSummary>();
  const [busy, setBusy] = useState(false);
  const [n8nFile, setN8nFile] = useState<{ name: string; workflow: unknown }>();
  const fileInput = useRef<HTMLInputElement>(null);

  const load = useCallback(async (term: string) => {
    try {
      setFlows(await api<FlowSummary[]>(`/flows${term ? `?search=${encodeURIComponent(term)}` : ''}`));
    } catch (e) {
      setError(plainMessage(e));
    }
  }, []);

  useEffect(() => {
    // Debounced so typing a search does not fire a request per key.
    const timer = setTimeout(() => void load(search.trim()), search ? 200 : 0);
    return () => clearTimeout(timer);
  }, [search, load]);

  async function run(title: string, action: () => Promise<unknown>) {
    setError(undefined);
    setFailure(undefined);
    try {
      await action();
      await load(search.trim());
    } catch (e) {
      const problems = problemsOf(e);
      if (problems.length) setFailure({ title: `${title}: ${plainMessage(e)}`, problems });
      else setError(`${title}: ${plainMessage(e)}`);
    }
  }

  async function importFile(file: File) {
    await run(`Could not import "${file.name}"`, async () => {
      const document = await readJsonFile(file);
      // An n8n export gets the import report first (decision 039); a flow document imports at once.
      if (looksLikeN8nWorkflow(document)) {
        setN8nFile({ name: file.name, workflow: document });
        return;
      }
      const flow = await api<FlowRecord>('/flows/import', { method: 'POST', body: document });
      navigate(`/flows/${flow.id}`);
    });
  }

  return (
    <div className="page-inner">
      <div className="page-head">
        <h1>Flows</h1>
        <input type="search" aria-label="Search flows" placeholder="Search flows…" value={search} onChange={(e) => setSearch(e.target.value)} style={{ maxWidth: 260 }} />
        <button type="button" onClick={() => fileInput.current?.click()}>Import…</button>
        <input ref={fileInput} type="file" accept=".json,application/json" aria-label="Import a flow file or an n8n workflow" hidden
          onChange={(e) => { const file = e.target.files?.[0]; e.target.value = ''; if (file) void importFile(file); }} />
        <Link className="btn primary" to="/flows/new">New flow</Link>
      </div>
      <ErrorBanner message={error} />
      {failure && <ProblemList title={failure.title} problems={failure.problems} />}
      {flows === undefined ? <p className="muted">Loading flows…</p>
        : flows.length === 0 ? (
          <EmptyState title={search ? 'No flow matches your search' : 'No flows yet'}>
            {search ? <p>Try another word, or clear the search.</p> : (
              <p>A flow starts with a trigger (a webhook call, a schedule, a button) and does things step by step.<br />
                <Link to="/flows/new">Create your first flow</Link> or import a <code>.flow.json</code> file.</p>
            )}
          </EmptyState>
        ) : (
          <table className="list">
            <thead><tr><th>Name</th><th>Active</th><th>Last run</th><th>Changed</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {flows.map((flow) => (
                <tr key={flow.id} data-flow-id={flow.id}>
                  <td><Link to={`/flows/${flow.id}`}><strong>{flow.name}</strong></Link>{flow.description && <div className="muted">{flow.description}</div>}</td>
                  <td>
                    <Toggle label={`Active: ${flow.name}`} checked={flow.active} onChange={(on) => void run(on ? `Could not activate "${flow.name}"` : `Could not deactivate "${flow.name}"`, () => setFlowActive(flow.id, on))} />
                    {flow.triggerProblems && <TriggerFailing problems={flow.triggerProblems} />}
                  </td>
                  <td>
                    {flow.lastExecution
                      ? <Link to={`/executions/${flow.lastExecution.id}`} className="row" style={{ textDecoration: 'none' }}><StatusBadge status={flow.lastExecution.status} /> <span className="muted">{timeAgo(flow.lastExecution.createdAt)}</span></Link>
                      : <span className="muted">never run</span>}
                  </td>
                  <td className="muted">{timeAgo(flow.updatedAt)}</td>
                  <td className="actions">
                    <button type="button" className="small ghost" onClick={() => setRenaming(flow)}>Rename</button>
                    <button type="button" className="small ghost" onClick={() => void run(`Could not duplicate "${flow.name}"`, () => duplicateFlow(flow.id))}>Duplicate</button>
                    <button type="button" className="small ghost" onClick={() => void run('Could not export', () => downloadExport(flow.id, flow.name))}>Export</button>
                    <button type="button" className="small ghost danger" onClick={() => setDeleting(flow)}>Delete</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      {/* What a newcomer sees first: ready-made flows, before an empty canvas. */}
      {flows !== undefined && !search && (
        <div style={{ marginTop: 24 }}><TemplateGallery heading="Start from a template" limit={flows.length === 0 ? 9 : 3} /></div>
      )}
      {n8nFile && (
        <N8nImportDialog fileName={n8nFile.name} workflow={n8nFile.workflow} onClose={() => setN8nFile(undefined)}
          onImported={(flowId) => navigate(`/flows/${flowId}`)} />
      )}
      {renaming && (
        <Modal title="Rename flow" onClose={() => setRenaming(undefined)} busy={busy}>
          <form onSubmit={(e) => {
            e.preventDefault();
            const name = String(new FormData(e.currentTarget).get('name') ?? '').trim();
            if (!name) return;
            setBusy(true);
            void run(`Could not rename "${renaming.name}"`, () => renameFlow(renaming.id, name)).finally(() => { setBusy(false); setRenaming(undefined); });
          }}>
            <label className="field"><span className="field-label">Name</span><input name="name" defaultValue={renaming.name} required maxLength={200} /></label>
            <div className="modal-actions"><button type="button" onClick={() => setRenaming(undefined)}>Cancel</button><button className="primary" type="submit" disabled={busy}>Rename</button></div>
          </form>
        </Modal>
      )}
      {deleting && (
        <ConfirmDialog title="Delete flow?" confirmLabel="Delete flow" busy={busy}
          message={<p>“{deleting.name}” will be turned off and deleted. Its past executions stay readable for a while. This cannot be undone.</p>}
          onCancel={() => setDeleting(undefined)}
          onConfirm={() => {
            setBusy(true);
            void run(`Could not delete "${deleting.name}"`, () => api(`/flows/${deleting.id}`, { method: 'DELETE' })).finally(() => { setBusy(false); setDeleting(undefined); });
          }} />
      )}
    </div>
  );
}

/** A trigger that keeps failing (a poller whose provider keeps refusing): said, not left to stop silently. */
function TriggerFailing({ problems }: { problems: TriggerProblem[] }) {
  const detail = problems.map((p) => `${p.nodeId}: ${p.message} (${p.failures} failures in a row, last ${timeAgo(p.since)})`).join('\n');
  return (
    <span className="badge failed" role="status" title={detail} data-testid="trigger-failing" style={{ marginLeft: 8 }}>
      Trigger failing
      <span className="visually-hidden">: {detail}</span>
    </span>
  );
}
