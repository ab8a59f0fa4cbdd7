import type { MetaFunction } from '@remix-run/node';
import { useOutlet, useSearchParams } from '@remix-run/react';
import type { PaymentService } from '../../runtime/index.js';
import { api } from '~/editor/api';
import { usePolling } from '~/editor/conversations/usePolling';
import { RANGE_PRESETS, rangeProblem, rangeToQuery } from '~/editor/executions/dateRange';
import { LedgerContext } from '~/editor/payments/ledger-context';
import { PaymentTable } from '~/editor/payments/PaymentTable';
import { PAYMENT_PROVIDERS, PAYMENT_STATUSES, statusLabel } from '~/editor/payments/status';
import { FlowFilter, useFlows } from '~/editor/ui/FlowFilter';
import { EmptyState, ErrorBanner } from '~/editor/ui/bits';

export const meta: MetaFunction = () => [{ title: 'Payments · Switchyard' }];

/** A webhook moves a payment within seconds; the list follows while the tab is visible. */
const REFRESH_MS = 4000;

type Ledger = Awaited<ReturnType<PaymentService['list']>>;

/**
 * The payments ledger (decision 034): every order, link, payment and refund the workspace's flows
 * created or its verified webhooks spoke about, newest first, filtered by status, provider, flow and
 * date (kept in the URL), with totals per currency; the open payment (`/payments/:id`) sits beside it.
 */
export default function Payments() {
  const outlet = useOutlet();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const provider = params.get('provider') ?? '';
  const flowId = params.get('flowId') ?? '';
  const range = params.get('range') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const badRange = rangeProblem({ range, from, to });
  const flows = useFlows();

  const flowName = (id: string) => flows.find((f) => f.id === id)?.name ?? 'Deleted flow';

  const query = new URLSearchParams({ limit: '200' });
  if (status) query.set('status', status);
  if (provider) query.set('provider', provider);
  if (flowId) query.set('flowId', flowId);
  const key = `${query}&range=${range}&from=${from}&to=${to}`;
  const { data: ledger, error, reload } = usePolling(key, (signal) => {
    if (badRange) return Promise.resolve<Ledger>({ payments: [], totals: [] });
    // Recomputed on every refresh so "last hour" slides with the clock.
    const { since, until } = rangeToQuery({ range, from, to });
    const q = new URLSearchParams(query);
    if (since) q.set('from', since);
    if (until) q.set('to', until);
    return api<Ledger>(`/payments?${q}`, { signal });
  }, REFRESH_MS);

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value); else next.delete(name);
    if (name === 'range' && value !== 'custom') { next.delete('from'); next.delete('to'); }
    setParams(next, { replace: true });
  };
  const search = params.toString() ? `?${params}` : '';
  const filtered = Boolean(status || provider || flowId || range);

  return (
    <div className="page-inner wide">
      <div className="page-head">
        <h1>Payments</h1>
        <label className="row">Status
          <select aria-label="Filter by status" value={status} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">Any status</option>
            {PAYMENT_STATUSES.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
          </select>
        </label>
        <label className="row">Provider
          <select aria-label="Filter by provider" value={provider} onChange={(e) => setFilter('provider', e.target.value)}>
            <option value="">All providers</option>
            {PAYMENT_PROVIDERS.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
          </select>
        </label>
        <FlowFilter flows={flows} value={flowId} onChange={(id) => setFilter('flowId', id)} />
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
      {ledger && ledger.totals.length > 0 && (
        <ul className="payment-totals" aria-label="Totals per currency">
          {ledger.totals.map((t) => (
            <li key={`${t.currency}-${t.status}`} className="card">
              <strong>{t.amountText ?? t.amount} {t.currency}</strong>
              <span className="muted"> {statusLabel(t.status).toLowerCase()} · {t.count} object{t.count === 1 ? '' : 's'}</span>
            </li>
          ))}
        </ul>
      )}
      <div className={outlet ? 'payments-split' : undefined}>
        <div>
          {ledger === undefined ? <p className="muted">Loading…</p> : ledger.payments.length === 0 ? (
            filtered ? (
              <EmptyState title="No payments match">
                <p>Try another status, provider, flow or time range.</p>
              </EmptyState>
            ) : <EmptyState title="No payments yet">
              <p>Orders, payment links, payments and refunds show up here when a flow’s Razorpay or PayPal step creates them or a verified payment webhook tells Switchyard about them.</p>
            </EmptyState>
          ) : <PaymentTable payments={ledger.payments} flowName={flowName} search={search} />}
        </div>
        <LedgerContext.Provider value={{ payments: ledger?.payments ?? [], flowName, search, refreshList: reload }}>
          {outlet}
        </LedgerContext.Provider>
      </div>
    </div>
  );
}
