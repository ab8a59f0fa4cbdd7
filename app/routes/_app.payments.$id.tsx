import { Fragment, useState } from 'react';
import type { MetaFunction } from '@remix-run/node';
import { Link, useParams } from '@remix-run/react';
import type { LedgerHistoryEntry, LedgerPayment } from '../../runtime/index.js';
import { api } from '~/editor/api';
import { usePolling } from '~/editor/conversations/usePolling';
import { useLedger } from '~/editor/payments/ledger-context';
import { PaymentHistory } from '~/editor/payments/PaymentHistory';
import { RefundDialog } from '~/editor/payments/RefundDialog';
import { amountLabel, objectLabel, PaymentStatusBadge, providerLabel, refundable } from '~/editor/payments/status';
import { ErrorBanner } from '~/editor/ui/bits';

export const meta: MetaFunction = () => [{ title: 'Payment · Switchyard' }];

/** A webhook can move the open payment at any time. */
const REFRESH_MS = 4000;

/** The names of `related` ids, as the ledger records them. */
const RELATED_WORDS: Record<string, string> = { orderId: 'Order', paymentLinkId: 'Payment link', paymentId: 'Payment', refundId: 'Refund' };

/**
 * One ledger object: provider, ids, amount, status, the flow and execution that created it, its
 * related order/link/payment/refund (linked when the list shows them), its history, and a refund
 * (with a confirmation) for a captured payment.
 */
export default function PaymentDetail() {
  const { id = '' } = useParams();
  const { payments, flowName, search, refreshList } = useLedger();
  const { data, error, reload } = usePolling(id,
    (signal) => api<{ payment: LedgerPayment; history: LedgerHistoryEntry[] }>(`/payments/${encodeURIComponent(id)}`, { signal }), REFRESH_MS);
  const [refunding, setRefunding] = useState(false);
  const [notice, setNotice] = useState<string>();

  if (!data) {
    return <section className="card pad">{error ? <ErrorBanner message={error} /> : <p className="muted">Loading…</p>}</section>;
  }
  const { payment, history } = data;
  const title = `${providerLabel(payment.provider)} ${objectLabel(payment.objectType).toLowerCase()}`;
  return (
    <section className="card pad payment-detail" aria-label={`${title} ${payment.providerId}`}>
      <header className="row">
        <div className="grow">
          <h2>{title}</h2>
          <div className="mono muted">{payment.providerId}</div>
        </div>
        <PaymentStatusBadge status={payment.status} />
        <Link to={`/payments${search}`} className="btn small" aria-label="Close payment">✕</Link>
      </header>
      <ErrorBanner message={error} />
      {notice && <div role="status" className="banner ok">{notice}</div>}
      <dl className="payment-facts">
        <dt>Amount</dt><dd className="mono" data-testid="payment-amount">{amountLabel(payment)}</dd>
        {payment.amount !== null && <><dt>In minor units</dt><dd className="mono">{payment.amount}</dd></>}
        <dt>Created by</dt>
        <dd>
          {payment.flowId ? <Link to={`/flows/${payment.flowId}`}>{flowName(payment.flowId)}</Link> : <span className="muted">a webhook (no flow step created it)</span>}
          {payment.executionId && <> · <Link to={`/executions/${payment.executionId}`}>execution</Link></>}
        </dd>
        <dt>Account</dt><dd className="mono">{payment.credentialId}</dd>
        <dt>Created</dt><dd title={payment.createdAt}>{new Date(payment.createdAt).toLocaleString()}</dd>
        <dt>Updated</dt><dd title={payment.updatedAt}>{new Date(payment.updatedAt).toLocaleString()}</dd>
        {Object.entries(payment.related).map(([name, providerId]) => {
          const row = payments.find((p) => p.providerId === providerId && p.provider === payment.provider);
          return (
            <Fragment key={name}>
              <dt>{RELATED_WORDS[name] ?? name}</dt>
              <dd className="mono">{row ? <Link to={`/payments/${row.id}${search}`}>{providerId}</Link> : providerId}</dd>
            </Fragment>
          );
        })}
      </dl>
      {refundable(payment) && (
        <div className="row">
          <button type="button" className="danger" onClick={() => { setNotice(undefined); setRefunding(true); }}>Refund…</button>
        </div>
      )}
      <h3>History</h3>
      <PaymentHistory history={history} />
      {refunding && (
        <RefundDialog payment={payment} onClose={() => setRefunding(false)} onRefunded={(answer) => {
          setRefunding(false);
          const refundId = typeof answer.refund.id === 'string' ? answer.refund.id : 'the refund';
          setNotice(`Refunded: ${refundId}. The payment is now ${answer.payment.status.replace('_', ' ')}.`);
          void Promise.all([reload(), refreshList()]);
        }} />
      )}
    </section>
  );
}
