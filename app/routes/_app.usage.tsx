import type { MetaFunction } from '@remix-run/node';
import { useSearchParams } from '@remix-run/react';
import type { AiUsageReport } from '../../runtime/index.js';
import { api } from '~/editor/api';
import { usePolling } from '~/editor/conversations/usePolling';
import { costText, tokensText } from '~/editor/usage/format';
import { UsageChart, type UsageMeasure } from '~/editor/usage/UsageChart';
import { FlowUsageTable, ProviderUsageTable } from '~/editor/usage/UsageTables';
import { FlowFilter, useFlows } from '~/editor/ui/FlowFilter';
import { EmptyState, ErrorBanner } from '~/editor/ui/bits';

export const meta: MetaFunction = () => [{ title: 'Usage · Switchyard' }];

/** Usage only grows while AI steps run; a slow refresh keeps today's bar honest. */
const REFRESH_MS = 15_000;
const RANGES = [7, 30, 90];
const DAY_MS = 86_400_000;

/** The last `days` UTC days, today included. */
function lastDays(days: number): { from: string; to: string } {
  const to = new Date().toISOString().slice(0, 10);
  return { from: new Date(Date.parse(to) - (days - 1) * DAY_MS).toISOString().slice(0, 10), to };
}

/**
 * What AI steps spent (`GET /api/usage`): totals, tokens or cost per day, and tables per flow and per
 * provider/model, over a range of UTC days and optionally one flow. Filters are kept in the URL.
 */
export default function Usage() {
  const [params, setParams] = useSearchParams();
  const custom = params.get('range') === 'custom';
  const days = RANGES.includes(Number(params.get('days'))) ? Number(params.get('days')) : 30;
  const flowId = params.get('flow') ?? '';
  const measure: UsageMeasure = params.get('measure') === 'cost' ? 'cost' : 'tokens';
  const range = custom ? { from: params.get('from') ?? '', to: params.get('to') ?? '' } : lastDays(days);
  const flows = useFlows();

  const query = new URLSearchParams();
  if (range.from) query.set('from', range.from);
  if (range.to) query.set('to', range.to);
  if (flowId) query.set('flowId', flowId);
  const { data: report, error } = usePolling(query.toString(), (signal) => api<AiUsageReport>(`/usage?${query}`, { signal }), REFRESH_MS);

  const setFilters = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value); else next.delete(key);
    }
    setParams(next, { replace: true });
  };
  const onRange = (value: string) => {
    if (value === 'custom') setFilters({ range: 'custom', days: '', ...lastDays(days) });
    else setFilters({ range: '', from: '', to: '', days: value === '30' ? '' : value });
  };

  return (
    <div className="page-inner wide">
      <div className="page-head">
        <h1>Usage</h1>
        <label className="row">Range
          <select aria-label="Range" value={custom ? 'custom' : String(days)} onChange={(e) => onRange(e.target.value)}>
            {RANGES.map((r) => <option key={r} value={r}>Last {r} days</option>)}
            <option value="custom">Custom…</option>
          </select>
        </label>
        {custom && (
          <>
            <label className="row">From
              <input type="date" aria-label="From date" value={range.from} max={range.to || undefined} onChange={(e) => setFilters({ from: e.target.value })} />
            </label>
            <label className="row">To
              <input type="date" aria-label="To date (included)" value={range.to} min={range.from || undefined} onChange={(e) => setFilters({ to: e.target.value })} />
            </label>
          </>
        )}
        <FlowFilter flows={flows} value={flowId} onChange={(id) => setFilters({ flow: id })} />
        <label className="row">Chart
          <select aria-label="Chart shows" value={measure} onChange={(e) => setFilters({ measure: e.target.value === 'cost' ? 'cost' : '' })}>
            <option value="tokens">Tokens</option>
            <option value="cost">Cost</option>
          </select>
        </label>
      </div>
      <ErrorBanner message={error} />
      {report === undefined ? (error ? null : <p className="muted">Loading…</p>) : report.totals.steps === 0 ? (
        <EmptyState title="No AI usage in this range">
          <p>Every AI step (Chat, Agent, Classify, Extract, Summarize, Answer from knowledge) records the tokens it used and, when its model is in the price table under Settings, what they cost. Run a flow with an AI step and its usage shows up here per day, flow and model.</p>
        </EmptyState>
      ) : (
        <>
          <ul className="usage-totals" aria-label="Totals">
            <li className="card"><strong>{tokensText(report.totals.totalTokens)}</strong><span className="muted"> tokens ({tokensText(report.totals.promptTokens)} prompt, {tokensText(report.totals.completionTokens)} completion)</span></li>
            <li className="card"><strong>{costText(report.totals)}</strong><span className="muted"> cost ({report.currency})</span></li>
            <li className="card"><strong>{report.totals.steps}</strong><span className="muted"> AI step{report.totals.steps === 1 ? '' : 's'}</span></li>
          </ul>
          <UsageChart report={report} measure={measure} />
          <section aria-labelledby="usage-flows-title">
            <h2 id="usage-flows-title">Per flow</h2>
            <FlowUsageTable rows={report.byFlow} />
          </section>
          <section aria-labelledby="usage-providers-title">
            <h2 id="usage-providers-title">Per provider and model</h2>
            <ProviderUsageTable rows={report.byProvider} />
            {report.byProvider.some((p) => p.unpricedSteps > 0) && (
              <p className="muted">“no price”: the model is not in the price table (Settings), so its tokens count and its cost is unknown.</p>
            )}
          </section>
        </>
      )}
    </div>
  );
}
