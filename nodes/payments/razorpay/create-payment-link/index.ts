import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { stepReference } from '../../_shared/idempotency.js';
import { amountProp, currencyProp, describeCharge, parseAmount } from '../../_shared/money.js';
import { notesObject, notesProp } from '../../_shared/props.js';
import { recordPayments } from '../../_shared/ledger.js';
import { clientFor, credentialSlots } from '../props.js';

const props = z.object({
  amount: amountProp,
  /** Default: INR. */
  currency: currencyProp.default('INR'),
  description: ui(z.string().max(2048).default(''), { title: 'Description', description: 'Shown to the customer on the payment page' }),
  /** Default: false. Razorpay's UPI links open the customer's UPI app directly (INR only). */
  upiLink: ui(z.boolean().default(false), { title: 'UPI link', description: 'A link that opens the customer\'s UPI app (INR only)' }),
  customerName: ui(z.string().default(''), { title: 'Customer name', description: 'Shown on the payment page', group: 'Customer' }),
  customerEmail: ui(z.string().default(''), { title: 'Customer email', description: 'Where Razorpay emails the link and the receipt', group: 'Customer' }),
  customerPhone: ui(z.string().default(''), { title: 'Customer phone', description: 'With the country code; where Razorpay texts the link', placeholder: '+919900000000', group: 'Customer' }),
  /** Default: false (send the link yourself, e.g. on WhatsApp). */
  notifySms: ui(z.boolean().default(false), { title: 'Razorpay texts the link', description: 'Razorpay sends the link by SMS to the customer\'s phone', group: 'Customer' }),
  /** Default: false. */
  notifyEmail: ui(z.boolean().default(false), { title: 'Razorpay emails the link', description: 'Razorpay sends the link to the customer\'s email', group: 'Customer' }),
  /** Default: 0, never. At least 16 (Razorpay wants 15 minutes or more). */
  expiresInMinutes: ui(z.number().int().refine((m) => m === 0 || m >= 16, 'a link expires 16 minutes or more after it is made (0: never)').default(0), {
    title: 'Expires after (minutes)', description: '0: never',
  }),
  /** Default: derived from the step's idempotency key. */
  referenceId: ui(z.string().trim().max(40).optional(), {
    title: 'Reference id', description: 'Yours, unique per link (at most 40 characters). Empty: one derived from this step, so a retry never makes a second link',
  }),
  callbackUrl: ui(z.string().trim().default(''), { title: 'Callback URL', description: 'Where the customer lands after paying', group: 'Advanced' }),
  /** Default: false. */
  reminders: ui(z.boolean().default(false), { title: 'Send reminders', description: 'Razorpay reminds the customer until the link is paid or expires', group: 'Customer' }),
  notes: notesProp,
});

/**
 * Creates a Razorpay payment link (or a UPI link) once per reference id: the reference (yours, or
 * derived from the step's idempotency key) is looked up before creating, and Razorpay itself refuses
 * a second link with it. Emits the link's id and short URL to send on any channel.
 */
export default defineNode({
  type: 'razorpay.create-payment-link',
  version: 1,
  title: 'Razorpay: create payment link',
  category: 'Payments',
  description: 'Creates a payment link (card, netbanking, wallets, or a UPI link) with optional expiry and notifications',
  icon: 'globe',
  props,
  credentials: credentialSlots,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, _input, p) {
    const money = parseAmount(p.amount, p.currency);
    const referenceId = p.referenceId || stepReference(ctx.idempotencyKey);
    const customer = Object.fromEntries(Object.entries({ name: p.customerName, email: p.customerEmail, contact: p.customerPhone }).filter(([, v]) => v !== ''));
    const { link, reused } = await clientFor(ctx).createLinkOnce(money, {
      reference_id: referenceId, description: p.description, upi_link: p.upiLink, customer,
      notify: { sms: p.notifySms, email: p.notifyEmail }, reminder_enable: p.reminders, notes: notesObject(p.notes),
      ...(p.expiresInMinutes > 0 ? { expire_by: Math.floor(Date.now() / 1000) + p.expiresInMinutes * 60 } : {}),
      ...(p.callbackUrl ? { callback_url: p.callbackUrl, callback_method: 'get' } : {}),
    });
    await recordPayments(ctx, 'razorpay', [{ objectType: 'payment_link', providerId: link.id, amount: money.minor, currency: money.currency, status: 'created' }]);
    ctx.log.info('razorpay payment link', { paymentLinkId: link.id, reused, charge: describeCharge(money) });
    return {
      main: {
        paymentLinkId: link.id, shortUrl: link.short_url ?? null, referenceId, amount: money.minor, currency: money.currency,
        status: link.status ?? null, expireBy: link.expire_by ?? null, reused, link,
      },
    };
  },
});
