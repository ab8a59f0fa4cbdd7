// Payment node overhead beyond the provider's time (issue 15's figure; goal p50 < 3 ms), in the
// shape of bench/ai-chat.ts. The same provider calls are made (a) by a bare keep-alive HTTP client —
// the receipt lookup `GET /v1/orders?receipt=…` then `POST /v1/orders`, all the provider's time plus
// the wire — and (b) by the razorpay.create-order node as the executor calls it: amount parsing with
// the currency's exponent, the receipt derived from the idempotency key, the official `razorpay`
// SDK over the SSRF-guarded client, and the output. Both go to the local Razorpay fake; the
// difference of the medians is the node's overhead. The ledger write (ctx.payments) is left out:
// it is a database round trip the executor's step record also makes, not the node's own work.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { createHttpClient } from '../runtime/net/index.js';
import { createTestContext } from '../nodes/testing.js';
import { credentialSlots } from '../nodes/payments/razorpay/props.js';
import createOrder from '../nodes/payments/razorpay/create-order/index.js';
import { startRazorpayFake } from '../nodes/payments/razorpay/fake.js';

const quick = process.env.BENCH_QUICK === '1';
const ROUNDS = quick ? 400 : 2_000;
const WARMUP = quick ? 100 : 300;
const fake = await startRazorpayFake();
const guarded = createHttpClient({ allow: ['127.0.0.1'] });
const base = createTestContext<typeof credentialSlots>({
  http: guarded,
  credentials: { account: { id: 'bench', kind: 'razorpay', fields: { keyId: fake.keyId, keySecret: fake.keySecret, baseUrl: fake.url } } },
});
// The executor parses a node's static props once per flow version, so the run gets them parsed.
const parsed = createOrder.props.parse({ amount: '499.00', currency: 'INR' });
let serial = 0;
// Each run has its own idempotency key, as each execution's step has: a new order every time.
const node = () => createOrder.run({ ...base, idempotencyKey: `bench:${serial++}:order` }, {}, parsed);

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const url = new URL(fake.url);
const authorization = `Basic ${Buffer.from(`${fake.keyId}:${fake.keySecret}`).toString('base64')}`;
function call(method: string, path: string, body?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path, method, agent, headers: { authorization, 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { JSON.parse(Buffer.concat(chunks).toString('utf8')); resolve(); });
    });
    req.on('error', reject);
    req.end(body);
  });
}
async function bare(): Promise<void> {
  const receipt = `bare${serial++}`;
  await call('GET', `/v1/orders?receipt=${receipt}&count=1`);
  await call('POST', '/v1/orders', JSON.stringify({ amount: 49900, currency: 'INR', receipt, notes: {}, partial_payment: false }));
}

function p(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

for (let i = 0; i < WARMUP; i++) { await bare(); await node(); }
const callsBefore = fake.calls.length;
const bareMs: number[] = [];
const nodeMs: number[] = [];
// Interleaved, so drift on a busy machine hits both series alike.
for (let i = 0; i < ROUNDS; i++) {
  let started = performance.now();
  await bare();
  bareMs.push(performance.now() - started);
  started = performance.now();
  await node();
  nodeMs.push(performance.now() - started);
}
// Both paths must have made the same provider calls, or the difference is not the node's overhead.
const calls = fake.calls.length - callsBefore;
if (calls !== ROUNDS * 4) {
  console.error(`payments-node: expected ${ROUNDS * 4} provider calls, saw ${calls}`);
  process.exit(1);
}
const overhead = p(nodeMs, 0.5) - p(bareMs, 0.5);
console.log(`payments-node: provider round trips (bare HTTP, lookup + create)  p50 ${p(bareMs, 0.5).toFixed(3)} ms  p99 ${p(bareMs, 0.99).toFixed(3)} ms`);
console.log(`payments-node: razorpay.create-order node (SDK, guard, money)     p50 ${p(nodeMs, 0.5).toFixed(3)} ms  p99 ${p(nodeMs, 0.99).toFixed(3)} ms`);
console.log(`payments-node: node overhead beyond the provider                  p50 ${overhead.toFixed(3)} ms  (goal < 3 ms: ${overhead < 3 ? 'met' : 'NOT met'})  [${ROUNDS} rounds, ${calls} provider calls]`);
agent.destroy();
guarded.close();
await fake.close();
process.exit(0);
