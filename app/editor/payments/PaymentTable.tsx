import { Link, NavLink } from '@remix-run/react';
import type { LedgerPayment } from '../../../runtime/index.js';
import { timeAgo } from '../api';
import { amountLabel, objectLabel, PaymentStatusBadge, providerLabel } from './status';

/**
 * The ledger's rows: what it is (provider, kind, the provider's id, which opens it), the amount in
 * the currency's major unit, status, and the flow and execution whose step created it.
 */
export function PaymentTable({ payments, flowName, search }: {
  payments: LedgerPayment[];
  flowName(id: string): string;
  /** The list's filters, kept when a payment opens. */
  search: string;
}) {
  return (
    <table className="list" aria-label="Payments">
      <thead><tr><th>Payment</th><th>Provider</th><th className="num">Amount</th><th>Status</th><th>Created by</th><th>When</th></tr></thead>
      <tbody>
        {payments.map((p) => (
          <tr key={p.id} data-payment-id={p.id} data-provider-id={p.providerId}>
            <td>
              <NavLink to={`/payments/${p.id}${search}`} aria-label={`Open ${objectLabel(p.objectType).toLowerCase()} ${p.providerId}`}>
                {objectLabel(p.objectType)}
              </NavLink>{' '}
              <span className="mono muted">{p.providerId}</span>
            </td>
            <td>{providerLabel(p.provider)}</td>
            <td className="num mono">{amountLabel(p)}</td>
            <td><PaymentStatusBadge status={p.status} /></td>
            <td>
              {p.flowId ? (
                <>
                  <Link to={`/flows/${p.flowId}`}>{flowName(p.flowId)}</Link>
                  {p.executionId && <> · <Link to={`/executions/${p.executionId}`} className="muted">run</Link></>}
                </>
              ) : <span className="muted">Webhook</span>}
            </td>
            <td className="muted" title={p.createdAt}>{timeAgo(p.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
