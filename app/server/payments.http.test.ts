import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRazorpayFake, type RazorpayFake } from '../../nodes/payments/razorpay/fake.js';
import { createRuntime, type Runtime } from '../../runtime/index.js';
import { testConfig } from '../../runtime/testing/config.js';
import { serveTestApi, type TestApi } from './test-api.server.js';

/**
 * The payments ledger through the HTTP API: verified Razorpay webhooks (delivered over HTTP to the
 * account's callback URL) become ledger rows with their history; list filters, totals, one payment,
 * and refusals naming the problem.
 */
let runtime: Runtime;
let http: TestApi;
let fake: RazorpayFake;
let credentialId: string;

beforeAll(async () => {
  fake = await startRazorpayFake();
  runtime = await createRuntime(testConfig({ outboundAllow: ['127.0.0.1'] }));
  http = await serveTestApi(runtime, 'payments');
  const created = await http.api('POST', '/api/credentials', {
    name: 'razorpay', kind: 'razorpay', data: { keyId: fake.keyId, keySecret: fake.keySecret, webhookSecret: fake.webhookSecret, baseUrl: fake.url },
  });
  credentialId = created.body.id;
}, 60_000);
afterAll(async () => {
  await runtime?.close();
  await fake?.close();
});

async function deliver(hook: { headers: Record<string, string>; body: string }): Promise<number> {
  const res = await fetch(`${http.base}/inbound/${credentialId}`, { method: 'POST', headers: hook.headers, body: hook.body });
  return res.status;
}

describe('payments API', () => {
  it('lists what verified webhooks said, with totals per currency, and shows one payment\'s history', async () => {
    const payment = { id: 'pay_ApiTest00001', entity: 'payment', amount: 49900, currency: 'INR', order_id: 'order_ApiTest00001' };
    expect(await deliver(fake.webhook('payment.captured', { payment: { ...payment, status: 'captured' } }, { eventId: 'evt_api_capt' }))).toBe(200);
    expect(await deliver(fake.webhook('payment.authorized', { payment: { ...payment, status: 'authorized' } }, { eventId: 'evt_api_auth' }))).toBe(200);
    expect(await deliver(fake.webhook('payment.failed', { payment: { id: 'pay_ApiTest00002', amount: 100, currency: 'USD', order_id: 'order_ApiTest00002' } }, { eventId: 'evt_api_fail' }))).toBe(200);
    // A forged one is refused and moves nothing.
    expect(await deliver({ ...fake.webhook('payment.captured', { payment: { id: 'pay_Forged', amount: 1, currency: 'INR' } }, { secret: 'not the secret' }) })).toBe(403);

    let list: { payments: { id: string; providerId: string; status: string }[]; totals: unknown[] } = { payments: [], totals: [] };
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && list.payments.filter((p) => p.providerId.startsWith('pay_')).length < 2) {
      list = (await http.api('GET', '/api/payments?provider=razorpay')).body;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 300));
    list = (await http.api('GET', '/api/payments?provider=razorpay')).body;
    const byId = Object.fromEntries(list.payments.map((p) => [p.providerId, p]));
    expect(Object.keys(byId).sort()).toEqual(['order_ApiTest00001', 'order_ApiTest00002', 'pay_ApiTest00001', 'pay_ApiTest00002']);
    expect(byId.pay_ApiTest00001).toMatchObject({ status: 'captured', amount: 49900, currency: 'INR', amountText: '499.00', objectType: 'payment' });
    expect(byId.pay_ApiTest00002).toMatchObject({ status: 'failed', amount: 100, currency: 'USD' });
    expect(list.totals).toEqual(expect.arrayContaining([
      // The order and its payment are one movement of money: counted once.
      { currency: 'INR', status: 'captured', amount: 49900, amountText: '499.00', count: 1 }, { currency: 'USD', status: 'failed', amount: 100, amountText: '1.00', count: 1 },
    ]));

    const captured = (await http.api('GET', '/api/payments?status=captured')).body.payments as { providerId: string }[];
    expect(captured.map((p) => p.providerId).sort()).toEqual(['order_ApiTest00001', 'pay_ApiTest00001']);

    const one = await http.api('GET', `/api/payments/${byId.pay_ApiTest00001!.id}`);
    expect(one.status).toBe(200);
    expect(one.body.history.map((h: { providerEventId: string; status: string; applied: boolean }) => [h.providerEventId, h.status, h.applied]))
      .toEqual([['evt_api_capt', 'captured', true], ['evt_api_auth', 'authorized', false]]);
    expect(one.text).not.toContain(fake.keySecret);
    expect(one.text).not.toContain(fake.webhookSecret);
  });

  it('refunds a captured payment from the ledger through Razorpay, once per idempotency key', async () => {
    const auth = `Basic ${Buffer.from(`${fake.keyId}:${fake.keySecret}`).toString('base64')}`;
    const order = await (await fetch(`${fake.url}/v1/orders`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ amount: 30000, currency: 'INR' }) })).json() as { id: string };
    const paid = fake.pay(order.id, { status: 'captured' });
    expect(await deliver(fake.webhook('payment.captured', { payment: paid }, { eventId: `evt_${paid.id}` }))).toBe(200);
    let row: { id: string; objectType: string } | undefined;
    const deadline = Date.now() + 10_000;
    while (!row && Date.now() < deadline) {
      row = ((await http.api('GET', '/api/payments?status=captured')).body.payments as { id: string; providerId: string; objectType: string }[]).find((p) => p.providerId === paid.id);
      if (!row) await new Promise((r) => setTimeout(r, 100));
    }
    const first = await http.api('POST', `/api/payments/${row!.id}/refund`, { amount: '100.00', idempotencyKey: 'refund-click-0001' });
    expect(first.status).toBe(200);
    expect(first.body.payment.status).toBe('partially_refunded');
    expect(first.body.refund).toMatchObject({ amount: 10000, payment_id: paid.id });
    const again = await http.api('POST', `/api/payments/${row!.id}/refund`, { amount: '100.00', idempotencyKey: 'refund-click-0001' });
    expect(again.body.refund.id).toBe(first.body.refund.id);
    expect([...fake.refunds.values()].filter((r) => r.payment_id === paid.id)).toHaveLength(1);
    const tooMuch = await http.api('POST', `/api/payments/${row!.id}/refund`, { amount: '500.00', idempotencyKey: 'refund-click-0002' });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.code).toBe('refund_exceeds_captured');
    const rest = await http.api('POST', `/api/payments/${row!.id}/refund`, { idempotencyKey: 'refund-click-0003' });
    expect(rest.status).toBe(200);
    expect(rest.body.payment.status).toBe('refunded');
    expect(fake.payments.get(paid.id)).toMatchObject({ status: 'refunded', amount_refunded: 30000 });
    expect(rest.body.history.map((h: { source: string }) => h.source)).toContain('api');
    expect((await http.api('POST', `/api/payments/${row!.id}/refund`, { amount: '1.00' })).status).toBe(400);
    const orderRow = ((await http.api('GET', '/api/payments')).body.payments as { id: string; providerId: string }[]).find((p) => p.providerId === order.id);
    const notPayment = await http.api('POST', `/api/payments/${orderRow!.id}/refund`, { idempotencyKey: 'refund-click-0004' });
    expect(notPayment.status).toBe(400);
    expect(notPayment.body.error.code).toBe('not_refundable');
  });

  it('refuses bad filters with a 400 and an unknown payment with a 404', async () => {
    const bad = await http.api('GET', '/api/payments?status=paid');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBeTruthy();
    expect((await http.api('GET', '/api/payments?from=yesterday')).status).toBe(400);
    const missing = await http.api('GET', '/api/payments/00000000-0000-0000-0000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    expect((await http.api('GET', '/api/payments/not-a-uuid')).status).toBe(404);
  });
});
