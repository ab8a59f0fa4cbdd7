import { useEffect, useState } from 'react';
import type { MetaFunction } from '@remix-run/node';
import { Link, useSearchParams } from '@remix-run/react';
import type { ExecutionSummary, FlowSummary } from '../../runtime/services/types.js';
import { api, plainMessage, timeAgo } from '~/editor/api';
import { EmptyState, ErrorBanner, StatusBadge } from '~/editor/ui/bits';

export const meta: MetaFunction = () => [{ title: 'Executions · Switchyard' }];

const STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'];

function duration(e: ExecutionSummary): string {
  if (!e.startedAt || !e.finishedAt) return '—';
  const ms = new Date(e.finishedAt).getTime() - new Date(e.startedAt).getTime();
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Every run, newest first, filtered by flow and status (kept in the URL so a filtered view can be shared). */
export default function Executions() {
  const [params, setParams] = useSearchParams();
  const flowId = params.get('flowId') ?? '';
  const status = params.get('status') ?? '';
  const [flows, setFlows] = useState<FlowSummary[]>([]);
  const [rows, setRows] = useState<ExecutionSummary[]>();
  const [error, setError] = useState<string>();

  useEffect(() => { api<FlowSummary[]>('/flows').then(setFlows, () => {}); }, []);
  useEffect(() => {
    const q = new URLSearchParams({ limit: '100' });
    if (flowId) q.set('flowId', flowId);
    if (status) q.set('status', status);
    let stop = false;
    const load = () => api<ExecutionSummary[]>(`/executions?${q}`).then((r) => { if (!stop) setRows(r); }, (e) => setError(plainMessage(e)));
    void load();
    // Runs in flight change status; a slow refresh keeps the list honest without a live channel per row.
    const timer = setInterval(() => { if (document.visibilityState === 'visible') void load(); }, 5000);
    return () => { stop = true; clearInterval(timer); };
  }, [flowId, status]);

  const flowName = (id: string) => flows.find((f) => f.id === id)?.name ?? 'Deleted flow';
  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value); else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <div className="page-inner">
      <div className="page-head">
        <h1>Executions</h1>
        <label className="row">Flow
          <select aria-label="Filter by flow" value={flowId} onChange={(e) => setFilter('flowId', e.target.value)}>
            <option value="">All flows</option>
            {flows.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
          </select>
        </label>
        <label className="row">Status
          <select aria-label="Filter by status" value={status} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">Any status</option>
            {STATUSES.map((s) => <option key={s} value={s}>{s[0]!.toUpperCase() + s.slice(1)}</option>)}
          </select>
        </label>
      </div>
      <ErrorBanner message={error} />
      {rows === undefined ? <p className="muted">Loading…</p> : rows.length === 0 ? (
        <EmptyState title="No executions here yet">
          <p>Each time a flow runs — from a webhook call, a schedule or a test run in the editor — it shows up here with every step’s data.</p>
        </EmptyState>
      ) : (
        <table className="list" aria-label="Executions">
          <thead><tr><th>Status</th><th>Flow</th><th>Started by</th><th>When</th><th>Took</th><th>Error</th></tr></thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.id} data-execution-id={e.id}>
                <td><Link to={`/executions/${e.id}`} aria-label={`Open execution ${e.id}`}><StatusBadge status={e.status} /></Link></td>
                <td><Link to={`/executions/${e.id}`}>{flowName(e.flowId)}</Link> <span className="muted">v{e.flowVersion}</span></td>
                <td className="muted">{e.mode}</td>
                <td className="muted" title={e.createdAt}>{timeAgo(e.createdAt)}</td>
                <td className="muted">{duration(e)}</td>
                <td>{e.error ? <span className="muted">{e.error.message}</span> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
