import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTestApi, type TestApi } from '../../app/server/test-api.server.js';
import type { SwitchyardConfig } from '../../runtime/config/env.js';
import { createRuntime } from '../../runtime/index.js';
import { testConfig } from '../../runtime/testing/config.js';
import { startWorkerProcess } from '../../runtime/testing/worker-process.js';
import { PaymentLedger } from '../../runtime/payments/ledger.js';
import { flow, WS } from '../../runtime/testing/harness.js';
import type { Runtime } from '../../runtime/types.js';
import { startRazorpayFake, type RazorpayFake } from './razorpay/fake.js';

/**
 * Exactly once, end to end: real worker processes killed with -9 right after Razorpay answered a
 * create and before the step could be recorded; the executions finish on the next worker, and each
 * created one order on the fake. Webhooks delivered three times and out of order over HTTP start one
 * fulfilment.
 */

const ROUNDS = 20;
const PER_ROUND = 2;

let config: SwitchyardConfig;
let api: Runtime;
let http: TestApi;
let fake: RazorpayFake;
let credentialId: string;
const children: ChildProcess[] = [];
/** A worker process that afterAll kills if the test did not. */
async function workerProcess(): Promise<ChildProcess> {
  const child = await startWorkerProcess(config);
  children.push(child);
  return child;
}


beforeAll(async () => {
  fake = await startRazorpayFake();
  // A short lock so a killed worker's job is handed over within seconds.
  config = testConfig({ lockDurationMs: 2000, outboundAllow: ['127.0.0.1'], publicUrl: 'https://switchyard.example' });
  api = await createRuntime(config);
  http = await serveTestApi(api, 'payments exactly-once test');
  const created = await api.credentials.create(WS, {
    name: `razorpay ${Date.now()}`, kind: 'razorpay',
    data: { keyId: fake.keyId, keySecret: fake.keySecret, webhookSecret: fake.webhookSecret, baseUrl: fake.url },
  });
  credentialId = created.id;
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await api.close();
  await fake.close();
});

async function waitFor(executionId: string, status: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = await api.executions.get(WS, executionId);
    if (record.status === status) return record;
    if (record.status === 'failed' || Date.now() > deadline) throw new Error(`execution ${executionId} is ${record.status}; wanted ${status}: ${JSON.stringify(record.error ?? null)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const razorpayCredentials = () => ({ credentials: { rzp: { kind: 'razorpay', id: credentialId } } });

describe('payments exactly once', () => {
  it(`a worker killed after Razorpay answered, ${ROUNDS} times over ${ROUNDS * PER_ROUND} executions: one order each`, async () => {
    const created = await api.flows.create(WS, flow('charge once', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'order', type: 'razorpay.create-order', props: { amount: '499.00', currency: 'INR' }, credentials: { account: 'rzp' } },
    ], ['start->order'], razorpayCredentials()));
    const executions: string[] = [];
    let kills = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const worker = await workerProcess();
      const killed = new Promise<void>((resolve) => {
        let answered = 0;
        fake.answered((route) => {
          if (route !== 'POST /v1/orders' || ++answered < PER_ROUND) return;
          // Razorpay has answered the round's last create; the worker has not recorded it yet.
          worker.once('exit', () => resolve());
          worker.kill('SIGKILL');
          fake.answered(undefined);
        });
      });
      for (let i = 0; i < PER_ROUND; i++) executions.push((await api.executions.run(WS, created.id, {})).executionId);
      await killed;
      kills++;
    }
    // The last worker finishes what the killed ones left.
    await workerProcess();
    const results = await Promise.all(executions.map((id) => waitFor(id, 'succeeded', 60_000)));
    const orderIds = results.map((r) => (r.result as { orderId: string }).orderId);
    const reused = results.filter((r) => (r.result as { reused: boolean }).reused).length;

    expect(kills).toBe(ROUNDS);
    expect(new Set(orderIds).size).toBe(executions.length);
    expect(fake.orders.size).toBe(executions.length);
    expect(fake.calls.filter((c) => c.method === 'POST' && c.path === '/v1/orders')).toHaveLength(executions.length);
    // At least the killed step of each round ran again and found its order by receipt instead of creating one.
    expect(reused).toBeGreaterThanOrEqual(ROUNDS);
    for (const order of fake.orders.values()) expect(order.amount).toBe(49900);
    // The ledger holds each order once, linked to the execution that created it.
    const ledger = await new PaymentLedger(api.knex).list(WS, { flowId: created.id, limit: 500 });
    expect(ledger.payments).toHaveLength(executions.length);
    expect(new Set(ledger.payments.map((p) => p.executionId))).toEqual(new Set(executions));
    expect(new Set(ledger.payments.map((p) => p.providerId))).toEqual(new Set(orderIds));
    expect(ledger.totals).toEqual([{ currency: 'INR', status: 'created', amount: 49900 * executions.length, amountText: `${499 * executions.length}.00`, count: executions.length }]);
  }, 600_000);

  it('a webhook delivered three times, out of order, starts one fulfilment; forged ones start nothing', async () => {
    const created = await api.flows.create(WS, flow('ship on capture', [
      { id: 'paid', type: 'razorpay.trigger', props: { events: ['payment.captured'] }, credentials: { account: 'rzp' } },
      { id: 'ship', type: 'core.set', props: { fields: [
        { name: 'shipped', value: '{{ $json.paymentId }}' }, { name: 'paymentStatus', value: '{{ $json.paymentStatus }}' }, { name: 'eventId', value: '{{ $json.eventId }}' },
      ] } },
    ], ['paid->ship'], razorpayCredentials()));
    await api.flows.activate(WS, created.id);
    const payment = { id: 'pay_ChaosTest0001', entity: 'payment', amount: 49900, currency: 'INR', order_id: 'order_ChaosTest0001' };
    const authorized = fake.webhook('payment.authorized', { payment: { ...payment, status: 'authorized' } }, { eventId: 'evt_auth_1' });
    const captured = fake.webhook('payment.captured', { payment: { ...payment, status: 'captured' } }, { eventId: 'evt_capt_1' });
    const post = (hook: { headers: Record<string, string>; body: string }) =>
      fetch(`${http.base}/inbound/${credentialId}`, { method: 'POST', headers: hook.headers, body: hook.body }).then((r) => r.status);

    // Captured before authorized, each three times, some at once.
    const statuses = [
      await post(captured), ...(await Promise.all([post(authorized), post(captured)])), await post(authorized), await post(captured), await post(authorized),
    ];
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    const forged = await post({ ...captured, headers: { ...captured.headers, 'x-razorpay-event-id': 'evt_forged', 'x-razorpay-signature': '0'.repeat(64) } });
    expect(forged).toBe(403);
    const unsigned = await post({ body: captured.body, headers: { 'content-type': 'application/json', 'x-razorpay-event-id': 'evt_unsigned' } });
    expect(unsigned).toBe(401);

    const deadline = Date.now() + 20_000;
    let runs: { id: string; status: string }[] = [];
    while (Date.now() < deadline) {
      runs = await api.knex('executions').where({ flow_id: created.id }).select('id', 'status');
      if (runs.length > 0 && runs.every((r) => r.status === 'succeeded')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500));
    runs = await api.knex('executions').where({ flow_id: created.id }).select('id', 'status');
    expect(runs).toHaveLength(1);
    const finished = await api.executions.get(WS, runs[0]!.id);
    expect(finished.result).toMatchObject({ shipped: 'pay_ChaosTest0001', paymentStatus: 'captured', eventId: 'evt_capt_1' });
    const events = await api.knex('channel_events').where({ credential_id: credentialId }).select('provider_event_id');
    expect(events.map((e) => e.provider_event_id).sort()).toEqual(['evt_auth_1', 'evt_capt_1']);

    // The ledger: captured stays captured although authorized arrived after it; each event once.
    const ledger = new PaymentLedger(api.knex);
    const found = (await ledger.list(WS, { provider: 'razorpay' })).payments.find((p) => p.providerId === 'pay_ChaosTest0001');
    expect(found).toMatchObject({ objectType: 'payment', status: 'captured', amount: 49900, currency: 'INR', related: { orderId: 'order_ChaosTest0001' } });
    const detail = await ledger.get(WS, found!.id);
    expect(detail!.history.map((h) => [h.providerEventId, h.status, h.applied, h.source])).toEqual([
      ['evt_capt_1', 'captured', true, 'webhook'], ['evt_auth_1', 'authorized', false, 'webhook'],
    ]);
  }, 60_000);
});
