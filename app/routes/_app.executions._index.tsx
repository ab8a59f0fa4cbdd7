import { useEffect, useState } from 'react';
import type { MetaFunction } from '@remix-run/node';
import { Link, useSearchParams } from '@remix-run/react';
import type { ExecutionSummary } from '../../runtime/services/types.js';
import { api, plainMessage, timeAgo } from '~/editor/api';
import { RANGE_PRESETS, rangeProblem, rangeToQuery } from '~/editor/executions/dateRange';
import { FlowFilter, useFlows } from '~/editor/ui/FlowFilter';
import { EmptyState, ErrorBanner, StatusBadge } from '~/editor/ui/bits';

export const meta: MetaFunction = () => [{ title: 'Executions · Switchyard' }];

const STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'];

function duration(e: ExecutionSummary): string {
  if (!e.startedAt || !e.finishedAt) return '—';
  const ms = new Date(e.finishedAt).getTime() - new Date(e.startedAt).getTime();
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Every run, newest first, filtered by flow, status and date (kept in the URL so a filtered view can be shared). */
export default function Executions() {
  const [params, setParams] = useSearchParams();
  const flowId = params.get('flowId') ?? '';
  const status = params.get('status') ?? '';
  const range = params.get('range') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const badRange = rangeProblem({ range, from, to });
  const flows = useFlows();
  const [rows, setRows] = useState<ExecutionSummary[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const q = new URLSearchParams({ limit: '100' });
    if (flowId) q.set('flowId', flowId);
    if (status) q.set('status', status);
    let stop = false;
    const load = () => {
      // Recomputed on every refresh so "last hour" slides with the clock.
      const { since, until } = rangeToQuery({ range, from, to });
      if (since) q.set('since', since); else q.delete('since');
      if (until) q.set('until', until); else q.delete('until');
      return api<ExecutionSummary[]>(`/executions?${q}`).then((r) => { if (!stop) { setRows(r); setError(undefined); } }, (e) => setError(plainMessage(e)));
    };
    if (badRange) { setRows([]); return; }
    void load();
    // Runs in flight change status; a slow refresh keeps the list honest without a live channel per row.
    const timer = setInterval(() => { if (document.visibilityState === 'visible') void load(); }, 5000);
    return () => { stop = true; clearInterval(timer); };
  }, [flowId, status, range, from, to, badRange]);

  const flowName = (id: string) => flows.find((f) => f.id === id)?.name ?? 'Deleted flow';
  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value); else next.delete(key);
    // Custom days belong to the custom range only; a preset would otherwise carry stale ones in the URL.
    if (key === 'range' && value !== 'custom') { next.delete('from'); next.delete('to'); }
    setParams(next, { replace: true });
  };

  return (
    <div className="page-inner">
      <div className="page-head">
        <h1>Executions</h1>
        <FlowFilter flows={flows} value={flowId} onChange={(id) => setFilter('flowId', id)} />
        <label className="row">Status
          <select aria-label="Filter by status" value={status} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">Any status</option>
            {STATUSES.map((s) => <option key={s} value={s}>{s[0]!.toUpperCase() + s.slice(1)}</option>)}
          </select>
        </label>
        <label className="row">When
          <select aria-label="Filter by date" value={range} onChange={(e) => setFilter('range', e.target.value)}>
            {RANGE_PRESETS.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
          </select>
        </label>
        {range === 'custom' && (
          <>
            <label className="row">From
              <input type="date" aria-label="From date" value={from} max={to || undefined} onChange={(e) => setFilter('from', e.target.value)} />
            </label>
            <label className="row">To
              <input type="date" aria-label="To date (included)" value={to} min={from || undefined} onChange={(e) => setFilter('to', e.target.value)} />
            </label>
          </>
        )}
      </div>
      <ErrorBanner message={badRange ?? error} />
      {rows === undefined ? <p className="muted">Loading…</p> : rows.length === 0 ? (
        range ? (
          <EmptyState title="No executions in this time range">
            <p>Try a wider range, or choose “Any time” to see every run.</p>
          </EmptyState>
        ) : <EmptyState title="No executions here yet">
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
