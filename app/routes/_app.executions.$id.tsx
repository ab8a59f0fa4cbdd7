import { useCallback, useEffect, useState } from 'react';
import type { MetaFunction } from '@remix-run/node';
import { Link, useNavigate, useParams } from '@remix-run/react';
import type { ExecutionRecord, FlowRecord } from '../../runtime/services/types.js';
import { api, plainMessage, timeAgo } from '~/editor/api';
import { StepData } from '~/editor/run/StepData';
import { ErrorBanner, StatusBadge } from '~/editor/ui/bits';
import { DataView } from '~/editor/ui/JsonTree';

export const meta: MetaFunction = () => [{ title: 'Execution · Switchyard' }];

const LIVE = new Set(['queued', 'running', 'waiting']);

/** One run: its steps in order with status, timing, input, output and error; re-run and cancel. */
export default function ExecutionDetail() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [record, setRecord] = useState<ExecutionRecord>();
  const [flow, setFlow] = useState<FlowRecord>();
  const [open, setOpen] = useState<string>();
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    try {
      const r = await api<ExecutionRecord>(`/executions/${encodeURIComponent(id)}`);
      setRecord(r);
      setOpen((o) => o ?? r.steps[r.steps.length - 1]?.stepKey);
      if (!flow || flow.id !== r.flowId) api<FlowRecord>(`/flows/${r.flowId}`).then(setFlow, () => {});
    } catch (e) {
      setError(plainMessage(e));
    }
  }, [id, flow]);

  useEffect(() => { void load(); }, [id]); // eslint-disable-line react-hooks/exhaustive-deps -- reload per execution only
  useEffect(() => {
    if (!record || !LIVE.has(record.status)) return;
    const timer = setTimeout(() => void load(), 1000);
    return () => clearTimeout(timer);
  }, [record, load]);

  async function act(path: 'cancel' | 'rerun', body?: unknown) {
    setError(undefined);
    try {
      if (path === 'rerun') {
        const { executionId } = await api<{ executionId: string }>(`/executions/${id}/rerun`, { method: 'POST', body: body ?? {} });
        navigate(`/executions/${executionId}`);
      } else {
        await api(`/executions/${id}/cancel`, { method: 'POST' });
        await load();
      }
    } catch (e) {
      setError(plainMessage(e));
    }
  }

  const nodeLabel = (nodeId: string) => {
    const node = flow?.document.nodes.find((n) => n.id === nodeId);
    return node?.label || nodeId;
  };

  if (!record) return <div className="page-inner">{error ? <ErrorBanner message={error} /> : <p className="muted">Loading…</p>}</div>;
  return (
    <div className="page-inner">
      <div className="page-head">
        <Link to="/executions" className="btn ghost small" aria-label="Back to executions">←</Link>
        <h1>{flow?.name ?? 'Execution'} <StatusBadge status={record.status} /></h1>
        {LIVE.has(record.status) && <button type="button" className="danger" onClick={() => void act('cancel')}>Cancel</button>}
        <button type="button" onClick={() => void act('rerun')}>Re-run</button>
        <Link className="btn" to={`/flows/${record.flowId}`}>Open flow</Link>
      </div>
      <p className="muted">
        Started by {record.mode} · {timeAgo(record.createdAt)} · version {record.flowVersion} · id <code>{record.id}</code>
      </p>
      <ErrorBanner message={error} />
      {record.error && <div className="banner error" role="alert"><strong>{record.error.nodeId ? `${nodeLabel(record.error.nodeId)}: ` : ''}</strong>{record.error.message}</div>}
      <div className="exec-grid">
        <ol className="steps card" aria-label="Steps">
          {record.steps.length === 0 && <li className="muted" style={{ padding: 12 }}>No step has run yet.</li>}
          {record.steps.map((s) => (
            <li key={s.stepKey}>
              <button type="button" className={`step-row${open === s.stepKey ? ' open' : ''}`} aria-expanded={open === s.stepKey} onClick={() => setOpen(s.stepKey)}>
                <StatusBadge status={s.status} />
                <span className="grow">{nodeLabel(s.nodeId)}</span>
                <span className="muted">{s.durationMs !== null ? `${s.durationMs} ms` : ''}</span>
              </button>
            </li>
          ))}
        </ol>
        <div className="card pad">
          {record.steps.filter((s) => s.stepKey === open).map((s) => (
            <div key={s.stepKey}>
              <h2>{nodeLabel(s.nodeId)} <span className="muted" style={{ fontWeight: 400 }}>({s.nodeType})</span></h2>
              <StepData step={s} onRerunFrom={(stepKey) => void act('rerun', { fromStep: stepKey })} />
            </div>
          ))}
          {!open && <><h2>Trigger input</h2><DataView value={record.triggerInput ?? undefined} label="Trigger input" /></>}
        </div>
      </div>
    </div>
  );
}
