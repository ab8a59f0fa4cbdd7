import { useEffect, useState } from 'react';
import type { MetaFunction } from '@remix-run/node';
import { Link, useNavigate, useParams } from '@remix-run/react';
import type { ExecutionRecord, FlowRecord, StepRecord } from '../../runtime/services/types.js';
import { api, plainMessage, timeAgo } from '~/editor/api';
import { isLive, useLiveExecution } from '~/editor/run/useLiveExecution';
import { StepData } from '~/editor/run/StepData';
import { subStepLabel } from '~/editor/run/sub-step';
import { ErrorBanner, StatusBadge } from '~/editor/ui/bits';
import { DataView } from '~/editor/ui/JsonTree';

export const meta: MetaFunction = () => [{ title: 'Execution · Switchyard' }];

/**
 * One run: its steps in order with status, timing, input, output and error; re-run and cancel.
 * A run in progress is followed live over SSE (see {@link useLiveExecution}).
 */
export default function ExecutionDetail() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { record, error, setError, reload: load } = useLiveExecution(id);
  const [flow, setFlow] = useState<FlowRecord>();
  /** The shown step, by `seq` (a retried step has several records under one key). */
  const [open, setOpen] = useState<number>();
  /** Pages after the first (which `record` holds and live updates refresh), loaded on request. */
  const [later, setLater] = useState<{ steps: StepRecord[]; next: number | null }>();
  const [loadingMore, setLoadingMore] = useState(false);

  const flowId = record?.flowId;
  useEffect(() => {
    if (!flowId) return;
    let live = true;
    api<FlowRecord>(`/flows/${encodeURIComponent(flowId)}`).then((f) => { if (live) setFlow(f); }, () => {});
    return () => { live = false; };
  }, [flowId]);
  // Open the latest step until the user picks one (per execution).
  useEffect(() => { setOpen(undefined); setLater(undefined); }, [id]);
  const lastStep = record?.steps[record.steps.length - 1]?.seq;
  useEffect(() => { if (lastStep !== undefined) setOpen((o) => o ?? lastStep); }, [lastStep]);

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

  async function loadMore(after: number) {
    setLoadingMore(true);
    try {
      const page = await api<ExecutionRecord>(`/executions/${encodeURIComponent(id)}?stepsAfter=${after}`);
      setLater((l) => ({ steps: [...(l?.steps ?? []), ...page.steps], next: page.nextStepsAfter }));
    } catch (e) {
      setError(plainMessage(e));
    } finally {
      setLoadingMore(false);
    }
  }

  const nodeLabel = (nodeId: string) => {
    const node = flow?.document.nodes.find((n) => n.id === nodeId);
    return node?.label || nodeId;
  };

  if (!record) return <div className="page-inner">{error ? <ErrorBanner message={error} /> : <p className="muted">Loading…</p>}</div>;
  const steps = later ? [...record.steps, ...later.steps] : record.steps;
  const nextAfter = later ? later.next : record.nextStepsAfter;
  return (
    <div className="page-inner">
      <div className="page-head">
        <Link to="/executions" className="btn ghost small" aria-label="Back to executions">←</Link>
        <h1>{flow?.name ?? 'Execution'} <StatusBadge status={record.status} /></h1>
        {isLive(record.status) && <button type="button" className="danger" onClick={() => void act('cancel')}>Cancel</button>}
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
          {steps.length === 0 && <li className="muted" style={{ padding: 12 }}>No step has run yet.</li>}
          {steps.map((s) => {
            // An agent's model and tool calls, indented under the node that made them.
            const sub = subStepLabel(s);
            return (
            <li key={s.seq} style={sub ? { paddingLeft: 20 } : undefined}>
              <button type="button" className={`step-row${open === s.seq ? ' open' : ''}`} aria-expanded={open === s.seq} onClick={() => setOpen(s.seq)}>
                <StatusBadge status={s.status} />
                <span className="grow">{nodeLabel(s.nodeId)}{sub && <span className="muted"> › {sub}</span>}</span>
                <span className="muted">{s.durationMs !== null ? `${s.durationMs} ms` : ''}</span>
              </button>
            </li>
            );
          })}
          {nextAfter !== null && (
            <li className="muted" style={{ padding: 12 }}>
              Showing {steps.length.toLocaleString('en')} of {record.stepCount.toLocaleString('en')} steps.{' '}
              <button type="button" className="small" disabled={loadingMore} onClick={() => void loadMore(nextAfter)}>
                {loadingMore ? 'Loading…' : 'Show more'}
              </button>
            </li>
          )}
        </ol>
        <div className="card pad">
          {steps.filter((s) => s.seq === open).map((s) => {
            const sub = subStepLabel(s);
            return (
              <div key={s.seq}>
                <h2>{nodeLabel(s.nodeId)}{sub ? ` › ${sub}` : ''} <span className="muted" style={{ fontWeight: 400 }}>({s.nodeType})</span></h2>
                {/* A sub-step is re-run with its step: offered there, not here. */}
                <StepData step={s} {...(sub ? {} : { onRerunFrom: (stepKey: string) => void act('rerun', { fromStep: stepKey }) })} />
              </div>
            );
          })}
          {open === undefined && <><h2>Trigger input</h2><DataView value={record.triggerInput ?? undefined} label="Trigger input" /></>}
        </div>
      </div>
    </div>
  );
}
