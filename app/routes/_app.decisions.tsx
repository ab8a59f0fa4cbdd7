import { useEffect, useState } from 'react';
import type { MetaFunction } from '@remix-run/node';
import { useSearchParams } from '@remix-run/react';
import type { DecisionPage, DecisionSummary } from '../../runtime/index.js';
import { api } from '~/editor/api';
import { usePolling } from '~/editor/conversations/usePolling';
import { DecisionChart } from '~/editor/decisions/DecisionChart';
import { DecisionList } from '~/editor/decisions/DecisionList';
import { KIND_WORDS, outcomeWord } from '~/editor/decisions/outcomes';
import { TopRules } from '~/editor/decisions/TopRules';
import { FlowFilter, useFlows } from '~/editor/ui/FlowFilter';
import { EmptyState, ErrorBanner } from '~/editor/ui/bits';

export const meta: MetaFunction = () => [{ title: 'Decisions · Switchyard' }];

/** How often the chart and the list refresh while the tab is visible. */
const REFRESH_MS = 10_000;
const RANGES = [7, 14, 30, 90];

/**
 * The decision log: every guardrail, triage and escalation decision per day by outcome, the rules
 * that fire most, and the decisions behind a bar (a day and an outcome) or a rule. Filters and the
 * open bar are kept in the URL, so a link shows the same messages.
 */
export default function Decisions() {
  const [params, setParams] = useSearchParams();
  const days = RANGES.includes(Number(params.get('days'))) ? Number(params.get('days')) : 14;
  const flowId = params.get('flow') ?? '';
  const kind = params.get('kind') ?? '';
  const day = params.get('day') ?? '';
  const outcome = params.get('outcome') ?? '';
  const rule = params.get('rule') ?? '';
  const flows = useFlows();
  const [older, setOlder] = useState<DecisionPage>();

  const scope = new URLSearchParams();
  if (flowId) scope.set('flowId', flowId);
  if (kind) scope.set('kind', kind);
  const summaryQuery = new URLSearchParams(scope);
  summaryQuery.set('days', String(days));
  const { data: summary, error } = usePolling(summaryQuery.toString(),
    (signal) => api<DecisionSummary>(`/decisions/summary?${summaryQuery}`, { signal }), REFRESH_MS);

  const opened = Boolean(day || rule);
  const listQuery = new URLSearchParams(scope);
  listQuery.set('limit', '50');
  if (day) { listQuery.set('from', day); listQuery.set('to', day); }
  if (outcome) listQuery.set('outcome', outcome);
  if (rule) listQuery.set('rule', rule);
  const { data: page, error: listError } = usePolling(opened ? listQuery.toString() : '',
    (signal) => (opened ? api<DecisionPage>(`/decisions?${listQuery}`, { signal }) : Promise.resolve(undefined)), REFRESH_MS);
  useEffect(() => { setOlder(undefined); }, [listQuery.toString()]);

  const setFilters = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value); else next.delete(key);
    }
    setParams(next, { replace: true });
  };

  async function loadOlder(before: string) {
    const next = new URLSearchParams(listQuery);
    next.set('before', before);
    const more = await api<DecisionPage>(`/decisions?${next}`);
    setOlder((o) => ({ decisions: [...(o?.decisions ?? []), ...more.decisions], nextBefore: more.nextBefore }));
  }

  const decisions = page ? [...page.decisions, ...(older?.decisions ?? [])] : undefined;
  const nextBefore = older ? older.nextBefore : page?.nextBefore ?? null;
  const total = summary?.days.reduce((n, d) => n + d.total, 0);
  const heading = [day, outcome && outcomeWord(outcome), rule && `rule "${rule}"`].filter(Boolean).join(' · ');
  return (
    <div className="page-inner wide">
      <div className="page-head">
        <h1>Decisions</h1>
        <label className="row">Range
          <select aria-label="Range" value={days} onChange={(e) => setFilters({ days: e.target.value === '14' ? '' : e.target.value, day: '', outcome: '' })}>
            {RANGES.map((r) => <option key={r} value={r}>Last {r} days</option>)}
          </select>
        </label>
        <FlowFilter flows={flows} value={flowId} onChange={(id) => setFilters({ flow: id })} />
        <label className="row">Kind
          <select aria-label="Filter by kind" value={kind} onChange={(e) => setFilters({ kind: e.target.value })}>
            <option value="">All kinds</option>
            {Object.entries(KIND_WORDS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </label>
      </div>
      <ErrorBanner message={error ?? listError} />
      {summary === undefined ? <p className="muted">Loading…</p> : total === 0 ? (
        <EmptyState title="No decisions in this range">
          <p>Guardrail checks, Triage steps and escalations record what they decided here: the outcome, the rules that fired and the checked text with personal data redacted.</p>
        </EmptyState>
      ) : (
        <div className="decisions-split">
          <DecisionChart summary={summary} selected={day && outcome ? { day, outcome } : undefined}
            onSelect={(d, o) => setFilters({ day: d, outcome: o, rule: '' })} />
          <section className="card pad" aria-labelledby="top-rules-title">
            <h2 id="top-rules-title">Rules that fire most</h2>
            <TopRules rules={summary.topRules} selected={rule} onSelect={(r) => setFilters({ rule: r, day: '', outcome: '' })} />
          </section>
        </div>
      )}
      {opened && (
        <section className="decision-messages" aria-labelledby="decision-messages-title">
          <div className="page-head">
            <h2 id="decision-messages-title">{heading}</h2>
            <button type="button" className="small" onClick={() => setFilters({ day: '', outcome: '', rule: '' })}>Close</button>
          </div>
          {decisions === undefined ? <p className="muted">Loading…</p> : decisions.length === 0
            ? <p className="muted">No decisions match.</p>
            : <DecisionList decisions={decisions} />}
          {nextBefore !== null && decisions && (
            <button type="button" className="small" onClick={() => void loadOlder(nextBefore)}>Show older decisions</button>
          )}
        </section>
      )}
    </div>
  );
}
