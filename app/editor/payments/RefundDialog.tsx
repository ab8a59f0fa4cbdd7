import { useState } from 'react';
import type { LedgerPayment, PaymentService } from '../../../runtime/index.js';
import { api, plainMessage } from '../api';
import { ErrorBanner } from '../ui/bits';
import { Modal } from '../ui/Modal';
import { amountLabel } from './status';

type RefundAnswer = Awaited<ReturnType<PaymentService['refund']>>;

/** One key per dialog: a double click or a retry after a lost answer refunds once (the API returns the same refund). */
function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `page-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Refund with a confirmation: the amount in the payment's major unit (empty refunds what is left),
 * Razorpay's speed, and the consequence spelled out before the red button. It calls
 * `POST /api/payments/:id/refund`, the same logic as the refund nodes.
 */
export function RefundDialog({ payment, onClose, onRefunded }: { payment: LedgerPayment; onClose(): void; onRefunded(answer: RefundAnswer): void }) {
  const [key] = useState(newIdempotencyKey);
  const [amount, setAmount] = useState('');
  const [speed, setSpeed] = useState<'normal' | 'optimum'>('normal');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const what = amount.trim() ? `${amount.trim()} ${payment.currency ?? ''}`.trim() : 'the whole amount not yet refunded';

  async function refund() {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api<RefundAnswer>(`/payments/${encodeURIComponent(payment.id)}/refund`, {
        method: 'POST',
        body: { idempotencyKey: key, ...(amount.trim() ? { amount: amount.trim() } : {}), ...(payment.provider === 'razorpay' ? { speed } : {}) },
      });
      onRefunded(answer);
    } catch (e) {
      setError(plainMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title="Refund payment" onClose={onClose} busy={busy}>
      <form aria-label="Refund" onSubmit={(e) => { e.preventDefault(); void refund(); }}>
        <p>
          Payment <span className="mono">{payment.providerId}</span> of <strong>{amountLabel(payment)}</strong> through {payment.provider === 'paypal' ? 'PayPal' : 'Razorpay'}.
        </p>
        <div className="field">
          <label className="field-label" htmlFor="refund-amount">Amount to refund{payment.currency ? ` (${payment.currency})` : ''}</label>
          <input id="refund-amount" inputMode="decimal" placeholder={payment.amountText ?? ''} value={amount} maxLength={40}
            onChange={(e) => setAmount(e.target.value)} aria-describedby="refund-amount-help" />
          <div className="field-help" id="refund-amount-help">In the currency’s major unit, like {payment.amountText ?? '100.00'}. Empty refunds everything not yet refunded.</div>
        </div>
        {payment.provider === 'razorpay' && (
          <div className="field">
            <label className="field-label" htmlFor="refund-speed">Speed</label>
            <select id="refund-speed" value={speed} onChange={(e) => setSpeed(e.target.value === 'optimum' ? 'optimum' : 'normal')}>
              <option value="normal">Normal (5–7 working days)</option>
              <option value="optimum">Optimum (instant where the bank allows it)</option>
            </select>
          </div>
        )}
        <p className="muted">This sends {what} back to the customer. It cannot be undone.</p>
        <ErrorBanner message={error} />
        <div className="modal-actions">
          <button type="button" onClick={onClose} disabled={busy}>Cancel</button>
          <button type="submit" className="danger solid" disabled={busy}>{busy ? 'Refunding…' : `Refund ${what}`}</button>
        </div>
      </form>
    </Modal>
  );
}
