import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundAccount, InboundDelivery, NodeError } from '@switchyard/sdk';
import { createHttpClient } from '../../../runtime/net/client.js';
import { createTestContext, runNode } from '../../testing.js';
import authorize from './authorize/index.js';
import capture from './capture/index.js';
import { paypalValue } from './client.js';
import createOrder from './create-order/index.js';
import paypalKind from './credential.js';
import { startPayPalFake, type PayPalFake } from './fake.js';
import getOrder from './get-order/index.js';
import type { credentialSlots } from './props.js';
import refund from './refund/index.js';
import { paymentsOf } from './results.js';
import voidNode from './void/index.js';
import { paypalInbound } from './webhook.js';

const http = createHttpClient({ allow: ['127.0.0.1'] });
let fake: PayPalFake;

beforeAll(async () => { fake = await startPayPalFake(); });
afterAll(async () => { await fake.close(); });

function fields(extra: Record<string, string> = {}) {
  return { clientId: fake.clientId, clientSecret: fake.clientSecret, environment: 'sandbox', webhookId: fake.webhookId, baseUrl: fake.url, ...extra };
}

function ctxFor(key = `exec-${Math.random()}:step`, extra: Record<string, string> = {}) {
  return createTestContext<typeof credentialSlots>({ http, idempotencyKey: key, credentials: { account: { kind: 'paypal', fields: fields(extra) } } });
}

async function failure(run: Promise<unknown>): Promise<NodeError> {
  try {
    await run;
  } catch (error) {
    return error as NodeError;
  }
  throw new Error('expected the step to fail');
}

type Main<T> = { main: T };

describe('PayPal nodes through the official SDK and the fake', () => {
  it('PayPal values: exact decimals, whole units for JPY, HUF and TWD', () => {
    expect(paypalValue({ minor: 49900, currency: 'USD' })).toBe('499.00');
    expect(paypalValue({ minor: 500, currency: 'JPY' })).toBe('500');
    expect(paypalValue({ minor: 100000, currency: 'HUF' })).toBe('1000');
    expect(() => paypalValue({ minor: 100050, currency: 'HUF' })).toThrow(/steps of 1.00/);
    expect(() => paypalValue({ minor: 100, currency: 'INR' })).toThrow(/PayPal does not take INR/);
  });

  it('create order → approve → capture → partial and full refund, each create and capture sending the step\'s PayPal-Request-Id', async () => {
    const made = await runNode(createOrder, {}, { amount: '25.00', currency: 'USD', description: 'Order 7' }, ctxFor('exec-pp:create#0')) as Main<{ orderId: string; approvalUrl: string; status: string }>;
    expect(made.main.status).toBe('CREATED');
    expect(made.main.approvalUrl).toContain(`token=${made.main.orderId}`);
    expect(fake.calls.find((c) => c.path === '/v2/checkout/orders' && c.method === 'POST')?.requestId).toBe('exec-pp:create#0');
    // Same PayPal-Request-Id, same body: the same order; nothing new created.
    const again = await runNode(createOrder, {}, { amount: '25.00', currency: 'USD', description: 'Order 7' }, ctxFor('exec-pp:create#0')) as Main<{ orderId: string }>;
    expect(again.main.orderId).toBe(made.main.orderId);
    expect(fake.orders.size).toBe(1);
    // Same id, other parameters: PayPal's error, carried on the step.
    const reused = await failure(runNode(createOrder, {}, { amount: '26.00', currency: 'USD' }, ctxFor('exec-pp:create#0')));
    expect(reused.code).toBe('paypal_paypal_request_id_previously_used');

    const early = await failure(runNode(capture, {}, { orderId: made.main.orderId }, ctxFor()));
    expect(early).toMatchObject({ name: 'PaymentRefusedError', code: 'paypal_order_not_approved' });
    fake.approve(made.main.orderId);
    const captured = await runNode(capture, {}, { orderId: made.main.orderId }, ctxFor('exec-pp:capture#0')) as Main<{ status: string; captureId: string; order: Parameters<typeof paymentsOf>[0] }>;
    expect(captured.main.status).toBe('COMPLETED');
    // The ledger records the capture with the money taken, so the order it stands for is not counted again.
    expect(paymentsOf(captured.main.order)).toEqual({ captureId: captured.main.captureId, authorizationId: null, captureAmount: { minor: 2500, currency: 'USD' } });
    const capturedAgain = await runNode(capture, {}, { orderId: made.main.orderId }, ctxFor('exec-pp:capture#0')) as Main<{ captureId: string }>;
    expect(capturedAgain.main.captureId).toBe(captured.main.captureId);
    expect(fake.captures.size).toBe(1);

    const fetched = await runNode(getOrder, {}, { orderId: made.main.orderId }, ctxFor()) as Main<{ status: string; captureId: string }>;
    expect(fetched.main).toMatchObject({ status: 'COMPLETED', captureId: captured.main.captureId });

    const part = await runNode(refund, {}, { captureId: captured.main.captureId, amount: '10.00', currency: 'USD' }, ctxFor()) as Main<{ amount: number }>;
    expect(part.main.amount).toBe(1000);
    const tooMuch = await failure(runNode(refund, {}, { captureId: captured.main.captureId, amount: '20.00', currency: 'USD' }, ctxFor()));
    expect(tooMuch.code).toBe('paypal_refund_amount_exceeded');
    const rest = await runNode(refund, {}, { captureId: captured.main.captureId }, ctxFor()) as Main<{ amount: number }>;
    expect(rest.main.amount).toBe(1500);
  });

  it('authorize → capture for less, and authorize → void', async () => {
    const made = await runNode(createOrder, {}, { amount: '500', currency: 'JPY', intent: 'AUTHORIZE' }, ctxFor()) as Main<{ orderId: string }>;
    fake.approve(made.main.orderId);
    const held = await runNode(authorize, {}, { orderId: made.main.orderId }, ctxFor()) as Main<{ authorizationId: string }>;
    const taken = await runNode(capture, {}, { what: 'authorization', authorizationId: held.main.authorizationId, amount: '400', currency: 'JPY' }, ctxFor()) as Main<{ amount: number; currency: string }>;
    expect(taken.main).toMatchObject({ amount: 400, currency: 'JPY' });

    const other = await runNode(createOrder, {}, { amount: '5.00', currency: 'EUR', intent: 'AUTHORIZE' }, ctxFor()) as Main<{ orderId: string }>;
    fake.approve(other.main.orderId);
    const held2 = await runNode(authorize, {}, { orderId: other.main.orderId }, ctxFor()) as Main<{ authorizationId: string }>;
    await runNode(voidNode, {}, { authorizationId: held2.main.authorizationId }, ctxFor());
    expect(fake.authorizations.get(held2.main.authorizationId)?.status).toBe('VOIDED');
    const late = await failure(runNode(capture, {}, { what: 'authorization', authorizationId: held2.main.authorizationId }, ctxFor()));
    expect(late.code).toBe('paypal_authorization_voided');
  });

  it('bad money fails before PayPal; wrong keys and an outage are named', async () => {
    const before = fake.calls.length;
    expect((await failure(runNode(createOrder, {}, { amount: '0', currency: 'USD' }, ctxFor()))).code).toBe('non_positive_amount');
    expect((await failure(runNode(createOrder, {}, { amount: '5', currency: 'INR' }, ctxFor()))).code).toBe('unsupported_currency');
    expect(fake.calls.length).toBe(before);
    const wrong = await failure(runNode(createOrder, {}, { amount: '5', currency: 'USD' }, ctxFor(undefined, { clientSecret: 'nope' })));
    expect(JSON.stringify({ m: wrong.message, d: wrong.details })).not.toContain(fake.clientSecret);
    expect(wrong.message).toMatch(/PayPal/);
    const down = await failure(runNode(createOrder, {}, { amount: '5', currency: 'USD' }, ctxFor(undefined, { baseUrl: 'http://127.0.0.1:1' })));
    expect(down.code).toBe('paypal_unreachable');
    fake.failNext('POST /v2/checkout/orders', { status: 422, name: 'UNPROCESSABLE_ENTITY', issue: 'INSTRUMENT_DECLINED', description: 'The instrument presented was either declined by the processor or bank.' });
    const declined = await failure(runNode(createOrder, {}, { amount: '5', currency: 'USD' }, ctxFor()));
    expect(declined).toMatchObject({ name: 'PaymentRefusedError', code: 'paypal_instrument_declined' });
  });

  it('Test connection gets a token and reaches the API', async () => {
    const ctx = { http, signal: new AbortController().signal };
    expect(await paypalKind.test!(fields(), ctx)).toMatchObject({ ok: true });
    expect((await paypalKind.test!(fields({ clientSecret: 'nope' }), ctx)).ok).toBe(false);
  });
});

describe('PayPal webhooks', () => {
  const account = (webhookId = fake.webhookId): InboundAccount => ({ credentialId: 'c1', fields: fields({ webhookId }), secret: 'derived', callbackUrl: 'https://x/inbound/c1' });
  const delivery = (headers: Record<string, string>, body: string): InboundDelivery => ({ method: 'POST', url: 'https://x/inbound/c1', headers, query: {}, rawBody: Buffer.from(body) });
  const io = () => ({ http, signal: new AbortController().signal });

  it('verified by PayPal\'s verify-webhook-signature with the credential\'s webhook id, never the event\'s', async () => {
    const hook = fake.webhook('PAYMENT.CAPTURE.COMPLETED', { id: 'CAP1', status: 'COMPLETED', amount: { currency_code: 'USD', value: '25.00' }, supplementary_data: { related_ids: { order_id: 'ORD1' } } });
    const good = delivery(hook.headers, hook.body);
    expect(paypalInbound.verify(good, account())).toBeUndefined();
    expect(await paypalInbound.confirm!(good, account(), io())).toBeUndefined();
    // Signed for another webhook id: PayPal says FAILURE for ours.
    const other = fake.webhook('PAYMENT.CAPTURE.COMPLETED', { id: 'CAP1' }, { webhookId: 'WH-SOMEONE-ELSE' });
    expect((await paypalInbound.confirm!(delivery(other.headers, other.body), account(), io()))?.status).toBe(403);
    // A tampered body.
    expect((await paypalInbound.confirm!(delivery(hook.headers, hook.body.replace('25.00', '2500.00')), account(), io()))?.status).toBe(403);
    // A missing header: refused without asking PayPal.
    const { 'paypal-transmission-sig': _sig, ...unsigned } = hook.headers;
    expect(paypalInbound.verify(delivery(unsigned, hook.body), account())?.status).toBe(401);
    // PayPal unreachable: the confirm throws and the gateway answers 401 (PayPal retries).
    await expect(paypalInbound.confirm!(good, { ...account(), fields: fields({ baseUrl: 'http://127.0.0.1:1' }) }, io())).rejects.toThrow();
  });

  it('parses the event with its id and the payment fields', () => {
    const hook = fake.webhook('PAYMENT.CAPTURE.COMPLETED', { id: 'CAP1', amount: { currency_code: 'USD', value: '25.00' }, supplementary_data: { related_ids: { order_id: 'ORD1' } } }, { id: 'WH-EVT-1' });
    const [event] = paypalInbound.parse(delivery(hook.headers, hook.body), account());
    expect(event).toMatchObject({ id: 'WH-EVT-1', type: 'PAYMENT.CAPTURE.COMPLETED', data: { paymentStatus: 'captured', orderId: 'ORD1', paymentId: 'CAP1', amount: 2500, currency: 'USD' } });
  });
});
