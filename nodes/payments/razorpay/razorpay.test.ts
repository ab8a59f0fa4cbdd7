import { createHmac } from 'node:crypto';
import Razorpay from 'razorpay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundAccount, InboundDelivery, NodeError } from '@switchyard/sdk';
import { createHttpClient } from '../../../runtime/net/client.js';
import { createTestContext, runNode } from '../../testing.js';
import capture from './capture/index.js';
import createOrder from './create-order/index.js';
import createPaymentLink from './create-payment-link/index.js';
import razorpayKind from './credential.js';
import { startRazorpayFake, type RazorpayFake } from './fake.js';
import fetchNode from './fetch/index.js';
import refund from './refund/index.js';
import type { credentialSlots } from './props.js';
import verifySignature from './verify-signature/index.js';
import { razorpayInbound, razorpaySignature, validSignature } from './webhook.js';

const http = createHttpClient({ allow: ['127.0.0.1'] });
let fake: RazorpayFake;

beforeAll(async () => { fake = await startRazorpayFake(); });
afterAll(async () => { await fake.close(); });

function ctxFor(key = `exec-${Math.random()}:step`, fields: Record<string, string> = {}) {
  return createTestContext<typeof credentialSlots>({
    http, idempotencyKey: key,
    credentials: { account: { kind: 'razorpay', fields: { keyId: fake.keyId, keySecret: fake.keySecret, baseUrl: fake.url, ...fields } } },
  });
}

async function failure(run: Promise<unknown>): Promise<NodeError> {
  try {
    await run;
  } catch (error) {
    return error as NodeError;
  }
  throw new Error('expected the step to fail');
}

describe('Razorpay signatures', () => {
  // Known-answer vectors: the SDK's own validateWebhookSignature is the oracle.
  const vectors = [
    { body: '{"entity":"event","event":"payment.captured"}', secret: 'fake_webhook_secret' },
    { body: '', secret: 's' },
    { body: 'ünïcödé body ✓', secret: 'a much longer webhook secret with spaces' },
    { body: 'order_IluGWxBm9U8zJ8|pay_IH4NVgf4Dreq1l', secret: 'EnLs21M47BllR3X8PSFtjtbd' },
  ];

  it('agrees with the SDK\'s validateWebhookSignature on known answers', () => {
    for (const { body, secret } of vectors) {
      const signature = razorpaySignature(body, secret);
      expect(Razorpay.validateWebhookSignature(body, signature, secret)).toBe(true);
      expect(validSignature(Buffer.from(body), signature, secret)).toBe(true);
    }
    // A fixed vector, so the HMAC itself is pinned, not only our agreement with the SDK.
    expect(razorpaySignature('order_IluGWxBm9U8zJ8|pay_IH4NVgf4Dreq1l', 'EnLs21M47BllR3X8PSFtjtbd'))
      .toBe(createHmac('sha256', 'EnLs21M47BllR3X8PSFtjtbd').update('order_IluGWxBm9U8zJ8|pay_IH4NVgf4Dreq1l').digest('hex'));
  });

  it('refuses forged, wrong-secret, truncated, over-long and non-hex signatures, as the SDK does', () => {
    const body = vectors[0]!.body;
    const good = razorpaySignature(body, 'fake_webhook_secret');
    const forged = [
      razorpaySignature(body, 'another secret'),
      razorpaySignature(`${body} `, 'fake_webhook_secret'),
      good.slice(0, 63), good.slice(0, 32), `${good}00`, good.toUpperCase(), `${good.slice(0, 63)}g`, '',
    ];
    for (const signature of forged) {
      expect(validSignature(Buffer.from(body), signature, 'fake_webhook_secret')).toBe(false);
      expect(Razorpay.validateWebhookSignature(body, signature, 'fake_webhook_secret')).toBe(false);
    }
  });

  const account: InboundAccount = { credentialId: 'c1', fields: { webhookSecret: 'fake_webhook_secret' }, secret: 'derived', callbackUrl: 'https://x/inbound/c1' };
  const delivery = (headers: Record<string, string>, body: string): InboundDelivery => ({
    method: 'POST', url: account.callbackUrl, headers, query: {}, rawBody: Buffer.from(body),
  });

  it('the inbound handler verifies over the raw bytes: 401 when missing, 403 when wrong or of the wrong length', () => {
    const hook = fake.webhook('payment.captured', { payment: { id: 'pay_1', amount: 100, currency: 'INR', order_id: 'order_1' } }, { eventId: 'evt_1' });
    expect(razorpayInbound.verify(delivery(hook.headers, hook.body), account)).toBeUndefined();
    const { 'x-razorpay-signature': _dropped, ...unsigned } = hook.headers;
    expect(razorpayInbound.verify(delivery(unsigned, hook.body), account)?.status).toBe(401);
    expect(razorpayInbound.verify(delivery({ ...hook.headers, 'x-razorpay-signature': 'abc' }, hook.body), account)?.status).toBe(403);
    // The same JSON re-serialised with other spacing is other bytes: refused.
    expect(razorpayInbound.verify(delivery(hook.headers, JSON.stringify(JSON.parse(hook.body), null, 1)), account)?.status).toBe(403);
    expect(razorpayInbound.verify(delivery(hook.headers, hook.body), { ...account, fields: {} })?.status).toBe(403);
    const refusal = razorpayInbound.verify(delivery({ ...hook.headers, 'x-razorpay-signature': razorpaySignature(hook.body, 'wrong') }, hook.body), account);
    expect(refusal?.reason).not.toContain('fake_webhook_secret');
  });

  it('parses an event with its id, type, status, ids and amount', () => {
    const hook = fake.webhook('payment.captured', { payment: { id: 'pay_1', amount: 49900, currency: 'INR', order_id: 'order_1' } }, { eventId: 'evt_42' });
    const [event] = razorpayInbound.parse(delivery(hook.headers, hook.body), account);
    expect(event).toMatchObject({ id: 'evt_42', type: 'payment.captured', data: { paymentStatus: 'captured', orderId: 'order_1', paymentId: 'pay_1', amount: 49900, currency: 'INR' } });
    expect(() => razorpayInbound.parse(delivery(hook.headers, '{"nope":1}'), account)).toThrow(/needs "event" and "payload"/);
  });

  it('the verify node checks Checkout and payment-link signatures with the key secret', async () => {
    const ctx = ctxFor();
    const signature = razorpaySignature('order_1|pay_1', fake.keySecret);
    expect(Object.keys(await runNode(verifySignature, {}, { orderId: 'order_1', paymentId: 'pay_1', signature }, ctx) as object)).toEqual(['valid']);
    expect(Object.keys(await runNode(verifySignature, {}, { orderId: 'order_2', paymentId: 'pay_1', signature }, ctx) as object)).toEqual(['invalid']);
    const linkSignature = razorpaySignature('plink_1|ref_1|paid|pay_1', fake.keySecret);
    const linkProps = { kind: 'payment_link' as const, paymentLinkId: 'plink_1', paymentLinkReferenceId: 'ref_1', paymentLinkStatus: 'paid', paymentId: 'pay_1', signature: linkSignature };
    expect(Object.keys(await runNode(verifySignature, {}, linkProps, ctx) as object)).toEqual(['valid']);
    expect(Object.keys(await runNode(verifySignature, {}, { ...linkProps, paymentLinkStatus: 'expired' }, ctx) as object)).toEqual(['invalid']);
  });
});

describe('Razorpay nodes through the official SDK and the fake', () => {
  it('creates an order once per step: a repeat with the same idempotency key returns the same order', async () => {
    const ctx = ctxFor('exec-order:create#0');
    const first = await runNode(createOrder, {}, { amount: '499.00', currency: 'INR' }, ctx) as { main: { orderId: string; amount: number; reused: boolean } };
    const again = await runNode(createOrder, {}, { amount: '499.00', currency: 'INR' }, ctxFor('exec-order:create#0')) as { main: { orderId: string; reused: boolean } };
    expect(first.main).toMatchObject({ amount: 49900, reused: false });
    expect(again.main).toMatchObject({ orderId: first.main.orderId, reused: true });
    expect(fake.calls.filter((c) => c.method === 'POST' && c.path === '/v1/orders')).toHaveLength(1);
    const changed = await failure(runNode(createOrder, {}, { amount: '500.00', currency: 'INR' }, ctxFor('exec-order:create#0')));
    expect(changed.code).toBe('idempotency_mismatch');
  });

  it('refuses bad money before calling Razorpay', async () => {
    const before = fake.calls.length;
    expect((await failure(runNode(createOrder, {}, { amount: '-1', currency: 'INR' }, ctxFor()))).code).toBe('non_positive_amount');
    expect((await failure(runNode(createOrder, {}, { amount: '1.001', currency: 'INR' }, ctxFor()))).code).toBe('fractional_minor_unit');
    expect((await failure(runNode(createOrder, {}, { amount: '10', currency: 'XXX' }, ctxFor()))).code).toBe('unknown_currency');
    expect((await failure(runNode(createOrder, {}, { amount: '10', currency: 'BRL' }, ctxFor()))).code).toBe('unsupported_currency');
    expect((await failure(runNode(createOrder, {}, { amount: '1.255', currency: 'KWD' }, ctxFor()))).code).toBe('fractional_minor_unit');
    expect(fake.calls.length).toBe(before);
  });

  it('creates a UPI payment link once per reference id, then pay → capture → partial and full refunds', async () => {
    const ctx = ctxFor('exec-link:link#0');
    const props = { amount: '250', currency: 'INR', upiLink: true, customerPhone: '+919900000000', notifySms: true, expiresInMinutes: 30, description: 'Order 42' };
    const made = await runNode(createPaymentLink, {}, props, ctx) as { main: { paymentLinkId: string; shortUrl: string; referenceId: string } };
    expect(made.main.shortUrl).toMatch(/^https:\/\/rzp\.io\//);
    const link = fake.links.get(made.main.paymentLinkId)!;
    expect(link).toMatchObject({ upi_link: true, amount: 25000, notify: { sms: true, email: false }, reference_id: made.main.referenceId });
    const again = await runNode(createPaymentLink, {}, props, ctxFor('exec-link:link#0')) as { main: { paymentLinkId: string; reused: boolean } };
    expect(again.main).toMatchObject({ paymentLinkId: made.main.paymentLinkId, reused: true });
    expect(fake.calls.filter((c) => c.path === '/v1/payment_links' && c.method === 'POST')).toHaveLength(1);

    const payment = fake.pay(made.main.paymentLinkId);
    const fetched = await runNode(fetchNode, {}, { object: 'payment', id: payment.id }, ctxFor()) as { main: { status: string } };
    expect(fetched.main.status).toBe('authorized');
    const captured = await runNode(capture, {}, { paymentId: payment.id, amount: '250.00', currency: 'INR' }, ctxFor()) as { main: { status: string; reused: boolean } };
    expect(captured.main).toMatchObject({ status: 'captured', reused: false });
    const capturedAgain = await runNode(capture, {}, { paymentId: payment.id, amount: '250.00', currency: 'INR' }, ctxFor()) as { main: { reused: boolean } };
    expect(capturedAgain.main.reused).toBe(true);
    expect(fake.links.get(made.main.paymentLinkId)?.status).toBe('paid');

    const partial = await runNode(refund, {}, { paymentId: payment.id, amount: '100.00', speed: 'optimum' }, ctxFor('exec-refund:r#0')) as { main: { amount: number; speedProcessed: string } };
    expect(partial.main).toMatchObject({ amount: 10000, speedProcessed: 'instant' });
    const repeated = await runNode(refund, {}, { paymentId: payment.id, amount: '100.00', speed: 'optimum' }, ctxFor('exec-refund:r#0')) as { main: { reused: boolean } };
    expect(repeated.main.reused).toBe(true);
    const tooMuch = await failure(runNode(refund, {}, { paymentId: payment.id, amount: '200.00' }, ctxFor()));
    expect(tooMuch.code).toBe('refund_exceeds_captured');
    expect(tooMuch.message).toContain('150.00 INR left');
    const rest = await runNode(refund, {}, { paymentId: payment.id }, ctxFor()) as { main: { amount: number } };
    expect(rest.main.amount).toBe(15000);
    expect(fake.payments.get(payment.id)).toMatchObject({ status: 'refunded', amount_refunded: 25000 });
  });

  it('capturing a payment that is not authorized carries Razorpay\'s code and is not retried', async () => {
    const made = await runNode(createOrder, {}, { amount: '10' }, ctxFor()) as { main: { orderId: string } };
    const failed = fake.pay(made.main.orderId, { status: 'failed' });
    const error = await failure(runNode(capture, {}, { paymentId: failed.id, amount: '10' }, ctxFor()));
    expect(error.name).toBe('PaymentRefusedError');
    expect(error.code).toBe('razorpay_bad_request_error');
    expect(error.message).toContain('Only payments which have been authorized');
  });

  it('a declined call and an outage map to refused (not retried) and unavailable (retried)', async () => {
    fake.failNext('POST /v1/orders', { status: 400, code: 'BAD_REQUEST_ERROR', description: 'Payment failed due to insufficient funds' });
    const declined = await failure(runNode(createOrder, {}, { amount: '10' }, ctxFor()));
    expect(declined).toMatchObject({ name: 'PaymentRefusedError', code: 'razorpay_bad_request_error' });
    fake.failNext('GET /v1/orders', { status: 503, code: 'SERVER_ERROR', description: 'We are facing some trouble' });
    const down = await failure(runNode(createOrder, {}, { amount: '10' }, ctxFor()));
    expect(down).toMatchObject({ name: 'PaymentUnavailableError', code: 'razorpay_unavailable' });
    const unreachable = await failure(runNode(createOrder, {}, { amount: '10' }, ctxFor(undefined, { baseUrl: 'http://127.0.0.1:1' })));
    expect(unreachable).toMatchObject({ name: 'PaymentUnavailableError', code: 'razorpay_unreachable' });
    const wrongKey = await failure(runNode(createOrder, {}, { amount: '10' }, ctxFor(undefined, { keySecret: 'wrong' })));
    expect(wrongKey.message).toContain('Authentication failed');
    expect(JSON.stringify({ message: wrongKey.message, details: wrongKey.details })).not.toContain(fake.keySecret);
  });

  it('the outbound guard applies: without the allowance a local API URL is refused', async () => {
    const guarded = createTestContext<typeof credentialSlots>({
      http: createHttpClient(), credentials: { account: { kind: 'razorpay', fields: { keyId: fake.keyId, keySecret: fake.keySecret, baseUrl: fake.url } } },
    });
    const error = await failure(runNode(createOrder, {}, { amount: '10' }, guarded));
    expect(error.message).toMatch(/127\.0\.0\.1|private|loopback|not allowed/i);
  });

  it('Test connection says whether the keys work', async () => {
    const ctx = { http, signal: new AbortController().signal };
    expect(await razorpayKind.test!({ keyId: fake.keyId, keySecret: fake.keySecret, baseUrl: fake.url }, ctx)).toMatchObject({ ok: true });
    const refused = await razorpayKind.test!({ keyId: fake.keyId, keySecret: 'nope', baseUrl: fake.url }, ctx);
    expect(refused.ok).toBe(false);
    expect(refused.message).toContain('refused the key id and secret');
  });
});
