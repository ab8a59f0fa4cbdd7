import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpFake, type SmtpFake } from '../../nodes/channels/email/fake-smtp.js';
import { startGraphFake, type GraphFake } from '../../nodes/channels/meta/fake.js';
import { startTwilioFake, type TwilioFake } from '../../nodes/channels/twilio/fake.js';
import { startRazorpayFake, type RazorpayFake } from '../../nodes/payments/razorpay/fake.js';
import { outputOf, templateBed } from '../_testing/harness.js';
import { callbackUrl, execution, executionsOf, mailsTo, settled, smtpCredential, until, whatsappCredential } from '../_testing/providers.js';

/**
 * The Razorpay UPI link template, imported from the gallery and run against the Razorpay fake (the
 * link and its signed payment_link.paid webhook), the Graph fake (WhatsApp templates), the Twilio
 * fake (SMS) and the SMTP fake (email).
 */
const bed = templateBed();
let razorpay: RazorpayFake;
let graph: GraphFake;
let twilio: TwilioFake;
let smtp: SmtpFake;
let flowId: string;
let razorpayId: string;

beforeAll(async () => {
  [razorpay, graph, twilio, smtp] = await Promise.all([startRazorpayFake(), startGraphFake(), startTwilioFake(), startSmtpFake()]);
  razorpayId = await bed.credential('razorpay', 'Razorpay (test mode)', {
    keyId: razorpay.keyId, keySecret: razorpay.keySecret, webhookSecret: razorpay.webhookSecret, baseUrl: razorpay.url,
  });
  const twilioId = await bed.credential('twilio', 'Twilio', { accountSid: twilio.accountSid, authToken: twilio.authToken, defaultFrom: '+14155550100', baseUrl: twilio.url });
  const imported = await bed.importTemplate('razorpay-upi-link-whatsapp', {
    razorpay: razorpayId, whatsapp: await whatsappCredential(bed, graph), twilio: twilioId, smtp: await smtpCredential(bed, smtp),
  });
  expect(imported.unmapped).toEqual([]);
  flowId = imported.flowId;
  await bed.activate(flowId);
}, 120_000);
afterAll(async () => {
  await Promise.all([razorpay?.close(), graph?.close(), twilio?.close(), smtp?.close()]);
});

const request = (body: Record<string, unknown>) => fetch(`${bed.http.base}/hooks/payments/upi-link`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});
const templateParams = (name: string, to: string) => graph.whatsappMessages
  .filter((m) => m.to === to && m.type === 'template' && (m.body.template as { name: string }).name === name)
  .map((m) => ((m.body.template as { components: { type: string; parameters: { text: string }[] }[] }).components.find((c) => c.type === 'body')!.parameters.map((p) => p.text)));

describe('template: Razorpay UPI payment link on WhatsApp', { timeout: 120_000 }, () => {
  it('sends the UPI link on WhatsApp, waits for the verified payment, then sends the receipt by email, SMS and WhatsApp', async () => {
    const answer = await request({ name: 'Priya', phone: '+919900000001', email: 'priya@example.in', amount: '499.00', description: 'Yoga mat', orderId: 'ORD-1001' });
    expect(answer.status).toBe(201);
    const created = await answer.json() as { paymentLinkId: string; shortUrl: string; executionId: string };
    const link = razorpay.links.get(created.paymentLinkId)!;
    expect(link).toMatchObject({ amount: 49900, currency: 'INR', upi_link: true, reference_id: 'ORD-1001', customer: { name: 'Priya', contact: '+919900000001', email: 'priya@example.in' } });
    expect(created.shortUrl).toBe(link.short_url);

    await until(() => templateParams('payment_request', '+919900000001').length === 1, 'the link on WhatsApp');
    expect(templateParams('payment_request', '+919900000001')).toEqual([['Priya', '₹499.00', 'Yoga mat', link.short_url]]);
    await until(async () => (await execution(bed, created.executionId)).status === 'waiting', 'the execution to wait for the payment');
    expect(await mailsTo(smtp, 'priya@example.in')).toEqual([]);

    // The customer pays in their UPI app; Razorpay calls the account's callback URL, signed.
    const payment = razorpay.pay(link.id, { status: 'captured', method: 'upi' });
    const hook = razorpay.webhook('payment_link.paid', { payment_link: { ...link, status: 'paid' }, payment }, { eventId: `evt_${link.id}` });
    const delivered = await fetch(callbackUrl(bed, razorpayId), { method: 'POST', headers: hook.headers, body: hook.body });
    expect(delivered.status).toBe(200);

    const [mail] = await until(async () => {
      const mails = await mailsTo(smtp, 'priya@example.in');
      return mails.length > 0 ? mails : undefined;
    }, 'the email receipt');
    expect(mail!.subject).toBe('Payment received: ₹499.00');
    expect(mail!.text).toContain(`Payment reference: ${payment.id}`);
    expect(mail!.text).toContain('Order: ORD-1001');
    await until(() => twilio.messages.length === 1 && templateParams('payment_receipt', '+919900000001').length === 1, 'the SMS and WhatsApp receipts');
    expect(twilio.messages[0]).toMatchObject({ to: '+919900000001', from: '+14155550100', body: `Payment of ₹499.00 received for Yoga mat. Ref ${payment.id}. Thank you!` });
    expect(templateParams('payment_receipt', '+919900000001')).toEqual([['Priya', '₹499.00', payment.id]]);
    const done = await until(async () => {
      const run = await execution(bed, created.executionId);
      return run.status === 'succeeded' ? run : undefined;
    }, 'the execution to finish');
    expect(outputOf(done, 'wait', 'paid')).toMatchObject({ via: 'webhook', id: link.id });
  });

  it('refuses a request without a phone number in international form with a 400, creating no link', async () => {
    const links = razorpay.links.size;
    const before = (await executionsOf(bed, flowId)).length;
    const answer = await request({ name: 'Ravi', phone: '99000 00002', email: 'ravi@example.in', amount: '250' });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: { code: 'invalid_payment_request', message: expect.stringContaining('phone (+country code') } });
    await settled(bed, flowId, before + 1);
    expect(razorpay.links.size).toBe(links);
  });
});
