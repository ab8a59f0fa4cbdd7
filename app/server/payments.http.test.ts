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
    expect(byId.pay_ApiTest00001).toMatchObject({ status: 'captured', amount: 49900, currency: 'INR', objectType: 'payment' });
    expect(byId.pay_ApiTest00002).toMatchObject({ status: 'failed', amount: 100, currency: 'USD' });
    expect(list.totals).toEqual(expect.arrayContaining([
      { currency: 'INR', status: 'captured', amount: 99800, count: 2 }, { currency: 'USD', status: 'failed', amount: 200, count: 2 },
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
