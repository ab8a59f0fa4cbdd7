// `npm run bench` — the payments benchmark (issue 15, "Performance"). It measures; it exits non-zero
// only when it could not measure, or when the counts do not add up (an acknowledged webhook that was
// not recorded, or a ledger row missing, is a failure, not a figure).
//
// Starts real Postgres 15 + Redis, `switchyard web` and `switchyard worker` (see _system.ts) and the
// Razorpay fake in this process, all on 127.0.0.1. A Razorpay account's webhook secret signs each
// delivery as Razorpay does (X-Razorpay-Signature, HMAC-SHA256 hex over the raw bytes), each a
// `payment.captured` with its own X-Razorpay-Event-Id and payment (a repeated id would cost nothing).
// Prints verified deliveries acknowledged per second at 20 connections and their latency, with a flow
// started per event (Razorpay trigger → Set); then checks every acknowledged event is in
// channel_events, its execution ran, and its payment is in the ledger.
// BENCH_QUICK=1 runs a fifth of the requests.
import pg from 'pg';
import { runLoad, type RawResponse } from './_load.js';
import { startSystem, type System } from './_system.js';
import { startRazorpayFake, type RazorpayFake } from '../nodes/payments/razorpay/fake.js';

const quick = process.env.BENCH_QUICK === '1';
const scale = (n: number) => (quick ? Math.max(50, Math.round(n / 5)) : n);
const log = (message: string) => process.stderr.write(`  · ${message}\n`);
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

async function count(client: pg.Client, sql: string, params: unknown[]): Promise<number> {
  const { rows } = await client.query<{ n: string }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function setup(sys: System, fake: RazorpayFake): Promise<{ credentialId: string; flowId: string }> {
  const created = await sys.api<{ id: string }>('POST', '/api/credentials', {
    name: 'bench: razorpay', kind: 'razorpay', data: { keyId: fake.keyId, keySecret: fake.keySecret, webhookSecret: fake.webhookSecret, baseUrl: fake.url },
  });
  const flow = await sys.api<{ id: string }>('POST', '/api/flows', {
    format: 'switchyard/flow@1', name: 'bench: payment captured → set',
    credentials: { rzp: { kind: 'razorpay', id: created.id } },
    nodes: [
      { id: 'trigger', type: 'razorpay.trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: { events: ['payment.captured'] }, credentials: { account: 'rzp' } },
      { id: 'ship', type: 'core.set', typeVersion: 1, position: { x: 240, y: 0 }, props: { fields: [{ name: 'ship', value: '{{ $json.paymentId }}' }] } },
    ],
    edges: [{ id: 'e0', source: 'trigger', sourceHandle: 'main', target: 'ship', targetHandle: 'main' }],
  });
  await sys.api('POST', `/api/flows/${flow.id}/activate`);
  return { credentialId: created.id, flowId: flow.id };
}

async function drive(sys: System, fake: RazorpayFake, credentialId: string, tag: string, requests: number) {
  const headers = new Map<number, Record<string, string>>();
  const acknowledged = (response: RawResponse) => (response.status === 200 ? true : `HTTP ${response.status}: ${response.body.slice(0, 160)}`);
  return runLoad({
    host: sys.host, port: sys.port, path: `/inbound/${credentialId}`, connections: 20, maxRequests: requests, maxSeconds: 60,
    body: (i) => {
      const id = `${tag}${String(i).padStart(8, '0')}`;
      const hook = fake.webhook('payment.captured', {
        payment: { id: `pay_${id}`, entity: 'payment', amount: 49900, currency: 'INR', status: 'captured', order_id: `order_${id}` },
      }, { eventId: `evt_${id}` });
      const { 'content-type': _type, ...signed } = hook.headers;
      headers.set(i, signed);
      return hook.body;
    },
    headers: (i) => {
      const h = headers.get(i)!;
      headers.delete(i);
      return h;
    },
    check: acknowledged,
  });
}

async function main(): Promise<void> {
  const fake = await startRazorpayFake();
  const sys = await startSystem({ env: { SWITCHYARD_OUTBOUND_ALLOW: '127.0.0.1' } });
  const db = new pg.Client({ connectionString: sys.databaseUrl });
  await db.connect();
  let failed = false;
  try {
    const { credentialId, flowId } = await setup(sys, fake);
    log('Razorpay account and a flow on payment.captured; warming up');
    await drive(sys, fake, credentialId, 'Warm', scale(1000));
    const drained = () => waitUntil('dispatch and executions to drain', 180_000, async () =>
      (await count(db, `select count(*) as n from channel_events where credential_id = $1 and status = 'pending'`, [credentialId])) === 0 &&
      (await count(db, `select count(*) as n from executions where flow_id = $1 and status in ('queued', 'running', 'waiting')`, [flowId])) === 0);
    await drained();

    const result = await drive(sys, fake, credentialId, 'Bench', scale(10_000));
    const ok = result.requests - result.errors;
    process.stdout.write(`\nVerified Razorpay webhooks (payment.captured, a flow started per event), 20 connections\n`);
    process.stdout.write(`  acknowledged ${ok}/${result.requests} in ${fmt(result.seconds, 2)} s: ${fmt(ok / result.seconds, 0)}/s; ` +
      `latency p50 ${fmt(result.latencyMs.p50, 2)} ms, p99 ${fmt(result.latencyMs.p99, 2)} ms, max ${fmt(result.latencyMs.max, 1)} ms\n`);
    if (result.errors > 0) process.stdout.write(`  errors: ${JSON.stringify(result.errorSamples)}\n`);

    await drained();
    const recorded = await count(db, `select count(*) as n from channel_events where credential_id = $1 and provider_event_id like 'evt_Bench%'`, [credentialId]);
    const executions = await count(db, `select count(*) as n from executions where flow_id = $1 and status = 'succeeded' and trigger_input::text like '%pay_Bench%'`, [flowId]);
    const ledger = await count(db, `select count(*) as n from payments where credential_id = $1 and object_type = 'payment' and provider_id like 'pay_Bench%'`, [credentialId]);
    process.stdout.write(`  recorded events ${recorded}, executions succeeded ${executions}, ledger payments ${ledger} (each should be ${ok})\n`);
    if (recorded !== ok || executions !== ok || ledger !== ok) {
      process.stdout.write('  MISMATCH: an acknowledged webhook was lost or doubled\n');
      failed = true;
    }
  } finally {
    await db.end();
    await sys.stop();
    await fake.close();
  }
  if (failed) process.exitCode = 1;
}

await main();
