// AI Chat node overhead beyond the provider's own time (issue 13's figure; goal p50 < 2 ms). The
// same chat request is sent (a) by a bare keep-alive HTTP client, which is all the provider's time
// plus the wire, and (b) by the ai.chat node as the executor calls it: props → messages, the
// official openai SDK over the SSRF-guarded client, the fallback-chain bookkeeping, usage and cost,
// the output. Both go to the local OpenAI-compatible fake; the difference of the medians is the
// node's overhead.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ModelPrice } from '@switchyard/sdk';
import { createHttpClient } from '../runtime/net/index.js';
import { createTestContext } from '../nodes/testing.js';
import { providerCredentials } from '../nodes/ai/_shared/node-props.js';
import chat from '../nodes/ai/chat/index.js';
import { startAiFake } from '../nodes/ai/fake.js';

const ROUNDS = 2_000;
const WARMUP = 300;
const fake = await startAiFake();
const guarded = createHttpClient({ allow: ['127.0.0.1'] });
const prices: Record<string, ModelPrice> = { 'fake-chat': { input: 0.15, output: 0.6 } };
const ctx = {
  ...createTestContext<typeof providerCredentials>({
    http: guarded,
    credentials: { provider: { id: 'bench', kind: 'ai-provider', fields: { preset: 'openai', baseUrl: fake.url, apiKey: fake.apiKey! } } },
  }),
  ai: { prices: async () => prices, cache: { get: async () => null, put: async () => {} } },
};
const props = {
  chain: [{ credential: 'provider' as const, model: 'fake-chat', timeoutMs: 30_000 }],
  system: 'You answer for Acme support in one short paragraph.',
  memory: [{ role: 'user' as const, content: 'Hi' }, { role: 'assistant' as const, content: 'Hello! How can I help?' }],
  prompt: 'Where is my order 42? It was due on Monday.',
  temperature: 0.2,
};
const body = JSON.stringify({
  model: 'fake-chat', temperature: 0.2,
  messages: [{ role: 'system', content: props.system }, ...props.memory, { role: 'user', content: props.prompt }],
});

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const url = new URL(`${fake.url}/chat/completions`);
function bare(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${fake.apiKey}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { JSON.parse(Buffer.concat(chunks).toString('utf8')); resolve(); });
    });
    req.on('error', reject);
    req.end(body);
  });
}
// The executor parses a node's static props once per flow version, so the run gets them parsed.
const parsed = chat.props.parse(props);
const node = () => chat.run(ctx, {}, parsed);

function p(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

for (let i = 0; i < WARMUP; i++) { await bare(); await node(); }
fake.reset();
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
const overhead = p(nodeMs, 0.5) - p(bareMs, 0.5);
console.log(`ai-chat: provider round trip (bare HTTP)      p50 ${p(bareMs, 0.5).toFixed(3)} ms  p99 ${p(bareMs, 0.99).toFixed(3)} ms`);
console.log(`ai-chat: AI Chat node (SDK, guard, chain)      p50 ${p(nodeMs, 0.5).toFixed(3)} ms  p99 ${p(nodeMs, 0.99).toFixed(3)} ms`);
console.log(`ai-chat: node overhead beyond the provider     p50 ${overhead.toFixed(3)} ms  (goal < 2 ms: ${overhead < 2 ? 'met' : 'NOT met'})  [${ROUNDS} rounds, ${fake.chatRequests().length} requests]`);
agent.destroy();
guarded.close();
await fake.close();
process.exit(0);
