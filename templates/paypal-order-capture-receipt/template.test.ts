import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpFake, type SmtpFake } from '../../nodes/channels/email/fake-smtp.js';
import { startPayPalFake, type PayPalFake } from '../../nodes/payments/paypal/fake.js';
import { templateBed } from '../_testing/harness.js';
import { callbackUrl, executionsOf, mailsTo, settled, smtpCredential, until } from '../_testing/providers.js';

/**
 * The PayPal checkout template, imported from the gallery and run against the PayPal fake (orders,
 * capture with PayPal-Request-Id, verify-webhook-signature) and the SMTP fake.
 */
const bed = templateBed();
let paypal: PayPalFake;
let smtp: SmtpFake;
let flowId: string;
let paypalId: string;

beforeAll(async () => {
  [paypal, smtp] = await Promise.all([startPayPalFake(), startSmtpFake()]);
  paypalId = await bed.credential('paypal', 'PayPal (sandbox)', {
    clientId: paypal.clientId, clientSecret: paypal.clientSecret, environment: 'sandbox', webhookId: paypal.webhookId, baseUrl: paypal.url,
  });
  const imported = await bed.importTemplate('paypal-order-capture-receipt', { paypal: paypalId, smtp: await smtpCredential(bed, smtp) });
  expect(imported.unmapped).toEqual([]);
  flowId = imported.flowId;
  await bed.activate(flowId);
}, 120_000);
afterAll(async () => {
  await Promise.all([paypal?.close(), smtp?.close()]);
});

const checkout = (body: Record<string, unknown>) => fetch(`${bed.http.base}/hooks/paypal/checkout`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});

describe('template: PayPal order → approval link → capture → receipt', { timeout: 120_000 }, () => {
  it('answers the approval link; once PayPal reports the order approved, captures it once and emails the receipt', async () => {
    const answer = await checkout({ email: 'sam@example.com', amount: '25.00', currency: 'EUR', description: 'Coaching session', invoiceId: 'INV-77' });
    expect(answer.status).toBe(201);
    const { orderId, approvalUrl } = await answer.json() as { orderId: string; approvalUrl: string };
    expect(approvalUrl).toBe(`https://www.sandbox.paypal.com/checkoutnow?token=${orderId}`);
    expect(paypal.orders.get(orderId)).toMatchObject({
      intent: 'CAPTURE', status: 'CREATED',
      purchase_units: [{ amount: { currency_code: 'EUR', value: '25.00' }, custom_id: 'sam@example.com', invoice_id: 'INV-77', description: 'Coaching session' }],
    });

    // The buyer approves on PayPal; PayPal delivers CHECKOUT.ORDER.APPROVED (twice, as it may).
    paypal.approve(orderId);
    const hook = paypal.webhook('CHECKOUT.ORDER.APPROVED', { ...paypal.orders.get(orderId)! });
    for (let i = 0; i < 2; i++) {
      const delivered = await fetch(callbackUrl(bed, paypalId), { method: 'POST', headers: hook.headers, body: hook.body });
      expect(delivered.status).toBe(200);
    }
    const [mail] = await until(async () => {
      const mails = await mailsTo(smtp, 'sam@example.com');
      return mails.length > 0 ? mails : undefined;
    }, 'the receipt');
    const [capture] = [...paypal.captures.values()];
    expect(mail!.subject).toBe('Receipt: 25.00 EUR paid');
    expect(mail!.text).toContain(`PayPal transaction: ${capture!.id}`);
    expect(mail!.text).toContain('Invoice: INV-77');
    expect(mail!.text).toContain('For: Coaching session');
    expect(paypal.orders.get(orderId)!.status).toBe('COMPLETED');

    const all = await settled(bed, flowId, 2);
    expect(all.map((e) => e.status)).toEqual(['succeeded', 'succeeded']);
    expect(paypal.captures.size).toBe(1);
    expect(await mailsTo(smtp, 'sam@example.com')).toHaveLength(1);
  });

  it('refuses a checkout without a valid email or amount with a 400, creating no order', async () => {
    const orders = paypal.orders.size;
    const before = (await executionsOf(bed, flowId)).length;
    const answer = await checkout({ email: 'not-an-email', amount: 'twenty' });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: { code: 'invalid_checkout' } });
    await settled(bed, flowId, before + 1);
    expect(paypal.orders.size).toBe(orders);
  });

  it('a forged approval is refused at the door and captures nothing', async () => {
    const answer = await checkout({ email: 'eve@example.com', amount: '5.00' });
    const { orderId } = await answer.json() as { orderId: string };
    paypal.approve(orderId);
    const forged = paypal.webhook('CHECKOUT.ORDER.APPROVED', { ...paypal.orders.get(orderId)! }, { webhookId: 'WH-SOMEONE-ELSE' });
    const delivered = await fetch(callbackUrl(bed, paypalId), { method: 'POST', headers: forged.headers, body: forged.body });
    expect(delivered.status).toBe(403);
    await settled(bed, flowId, (await executionsOf(bed, flowId)).length);
    expect(paypal.orders.get(orderId)!.status).toBe('APPROVED');
    expect(await mailsTo(smtp, 'eve@example.com')).toEqual([]);
  });
});
