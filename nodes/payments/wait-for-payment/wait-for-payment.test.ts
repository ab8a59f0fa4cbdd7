import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTestApi, type TestApi } from '../../../app/server/test-api.server.js';
import { flow, startTestRuntime, WS } from '../../../runtime/testing/harness.js';
import type { Runtime } from '../../../runtime/types.js';
import { startRazorpayFake, type RazorpayFake } from '../razorpay/fake.js';

/**
 * Wait for payment on a real runtime and worker: a link is made on the Razorpay fake, the execution
 * parks; the verified payment_link.paid webhook (over HTTP) resumes it on `paid`; with no webhook, the
 * timer asks Razorpay and routes by what it says.
 */
let runtime: Runtime;
let http: TestApi;
let fake: RazorpayFake;
let credentialId: string;

beforeAll(async () => {
  fake = await startRazorpayFake();
  runtime = await startTestRuntime();
  http = await serveTestApi(runtime, 'wait for payment');
  credentialId = (await runtime.credentials.create(WS, {
    name: `razorpay wait ${Date.now()}`, kind: 'razorpay',
    data: { keyId: fake.keyId, keySecret: fake.keySecret, webhookSecret: fake.webhookSecret, baseUrl: fake.url },
  })).id;
}, 60_000);
afterAll(async () => { await fake.close(); });

async function waitFor(executionId: string, status: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = await runtime.executions.get(WS, executionId);
    if (record.status === status) return record;
    if (record.status === 'failed' || Date.now() > deadline) throw new Error(`execution is ${record.status}; wanted ${status}: ${JSON.stringify(record.error ?? null)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function linkFlow(timeoutMinutes: number): Promise<string> {
  const created = await runtime.flows.create(WS, flow(`wait ${Math.random()}`, [
    { id: 'start', type: 'core.manual-trigger' },
    { id: 'link', type: 'razorpay.create-payment-link', props: { amount: '250.00', currency: 'INR', upiLink: true }, credentials: { account: 'rzp' } },
    { id: 'wait', type: 'payments.wait-for-payment', props: { object: 'payment_link', id: '{{ $json.paymentLinkId }}', timeoutMinutes }, credentials: { account: 'rzp' } },
    { id: 'paid', type: 'core.set', props: { fields: [{ name: 'outcome', value: 'paid' }, { name: 'via', value: '{{ $json.via }}' }] } },
    { id: 'expired', type: 'core.set', props: { fields: [{ name: 'outcome', value: 'expired' }, { name: 'via', value: '{{ $json.via }}' }] } },
  ], ['start->link', 'link->wait', 'wait:paid->paid', 'wait:expired->expired'], { credentials: { rzp: { kind: 'razorpay', id: credentialId } } }));
  return created.id;
}

const lastLink = () => [...fake.links.values()].at(-1)!;

describe('payments.wait-for-payment', () => {
  it('parks until the verified payment_link.paid webhook, then goes on at paid (once, however often it arrives)', async () => {
    const { executionId } = await runtime.executions.run(WS, await linkFlow(60), {});
    await waitFor(executionId, 'waiting');
    const link = lastLink();
    const payment = fake.pay(link.id, { status: 'captured' });
    const hook = fake.webhook('payment_link.paid', { payment_link: { ...link }, payment }, { eventId: `evt_${link.id}` });
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${http.base}/inbound/${credentialId}`, { method: 'POST', headers: hook.headers, body: hook.body });
      expect(res.status).toBe(200);
    }
    const done = await waitFor(executionId, 'succeeded');
    expect(done.result).toEqual({ outcome: 'paid', via: 'webhook' });
    const ledger = await runtime.payments.list(WS, { provider: 'razorpay' });
    expect(ledger.payments.find((p) => p.providerId === link.id)).toMatchObject({ objectType: 'payment_link', status: 'captured', executionId });
  });

  it('with no webhook, asks Razorpay when the time is up: a link paid meanwhile goes on at paid, an unpaid one at expired', async () => {
    const paid = await runtime.executions.run(WS, await linkFlow(0.02), {});
    await waitFor(paid.executionId, 'waiting');
    fake.pay(lastLink().id, { status: 'captured' });
    expect((await waitFor(paid.executionId, 'succeeded')).result).toEqual({ outcome: 'paid', via: 'provider' });

    const unpaid = await runtime.executions.run(WS, await linkFlow(0.02), {});
    expect((await waitFor(unpaid.executionId, 'succeeded')).result).toEqual({ outcome: 'expired', via: 'timeout' });
  });

  it('a forged webhook resumes nothing', async () => {
    const { executionId } = await runtime.executions.run(WS, await linkFlow(60), {});
    await waitFor(executionId, 'waiting');
    const link = lastLink();
    const forged = fake.webhook('payment_link.paid', { payment_link: { ...link }, payment: { id: 'pay_forged', amount: 25000, currency: 'INR' } }, { secret: 'guess' });
    const res = await fetch(`${http.base}/inbound/${credentialId}`, { method: 'POST', headers: forged.headers, body: forged.body });
    expect(res.status).toBe(403);
    await new Promise((r) => setTimeout(r, 500));
    expect((await runtime.executions.get(WS, executionId)).status).toBe('waiting');
  });
});
