import { Link } from '@remix-run/react';
import type { LedgerHistoryEntry } from '../../../runtime/index.js';
import { PaymentStatusBadge } from './status';

const SOURCE_WORDS: Record<string, string> = { step: 'A flow step', webhook: 'A verified webhook', api: 'A refund from this page or the API' };

/**
 * The payment's history, oldest first: each step, webhook delivery or API call that spoke about it.
 * An entry that arrived late or repeated is shown but marked: it left the status as it was.
 */
export function PaymentHistory({ history }: { history: LedgerHistoryEntry[] }) {
  if (history.length === 0) return <p className="muted">No history recorded.</p>;
  return (
    <ol className="payment-history" aria-label="History">
      {history.map((h, i) => (
        <li key={i} data-status={h.status} data-applied={h.applied}>
          <div className="row">
            <PaymentStatusBadge status={h.status} />
            <span>{SOURCE_WORDS[h.source] ?? h.source}</span>
            <span className="muted grow" title={h.at}>{new Date(h.at).toLocaleString()}</span>
          </div>
          <div className="muted payment-history-meta">
            {h.executionId && <>execution <Link to={`/executions/${h.executionId}`} className="mono">{h.executionId}</Link>{h.stepKey && <> · step <span className="mono">{h.stepKey}</span></>}</>}
            {h.providerEventId && <>event <span className="mono">{h.providerEventId}</span></>}
            {!h.applied && <> · arrived late or repeated: status unchanged</>}
          </div>
        </li>
      ))}
    </ol>
  );
}
