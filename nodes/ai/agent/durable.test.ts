import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchyardConfig } from '../../../runtime/config/env.js';
import { createRuntime } from '../../../runtime/index.js';
import { testConfig } from '../../../runtime/testing/config.js';
import { startWorkerProcess } from '../../../runtime/testing/worker-process.js';
import { flow, startLocalServer, WS } from '../../../runtime/testing/harness.js';
import type { Runtime } from '../../../runtime/types.js';
import { startAiFake, type AiFake } from '../fake.js';

/**
 * A worker process killed with -9 between two of the agent's tool calls: the next worker replays
 * the recorded model turn and tool result and goes on; the side-effecting call ran once.
 */

let config: SwitchyardConfig;
let api: Runtime;
let fake: AiFake;
let credentialId: string;
let shop: Awaited<ReturnType<typeof startLocalServer>>;
const shopRequests: { path: string; idempotencyKey?: string }[] = [];
const children: ChildProcess[] = [];
/** A worker process that afterAll kills if the test did not. */
async function workerProcess(): Promise<ChildProcess> {
  const child = await startWorkerProcess(config);
  children.push(child);
  return child;
}


beforeAll(async () => {
  fake = await startAiFake();
  shop = await startLocalServer((req, _body, res) => {
    shopRequests.push({ path: req.url ?? '', idempotencyKey: req.headers['idempotency-key'] as string | undefined });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, path: req.url }));
  });
  // A short lock so the killed worker's job is handed over within seconds.
  config = testConfig({ lockDurationMs: 2000, outboundAllow: ['127.0.0.1'] });
  api = await createRuntime(config);
  credentialId = (await api.credentials.create(WS, { name: `agent durable ${Date.now()}`, kind: 'ai-provider', data: { preset: 'custom', baseUrl: fake.url, apiKey: fake.apiKey ?? undefined } })).id;
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await api.close();
  await fake.close();
});

async function finished(executionId: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = await api.executions.get(WS, executionId);
    if (['succeeded', 'failed', 'cancelled'].includes(record.status) || Date.now() > deadline) return record;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('ai.agent durability', () => {
  it('a worker killed between two tool calls: the next one resumes from the recorded result, each call ran once', async () => {
    const created = await api.flows.create(WS, flow(`agent durable ${Date.now()}`, [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'agent', type: 'ai.agent', credentials: { provider: 'llm' }, props: {
        chain: [{ credential: 'provider', model: 'fake-chat', timeoutMs: 5000 }], prompt: 'refund order 7 and tell the customer',
        tools: [{ kind: 'http', name: 'shop', description: 'The shop API', hosts: ['127.0.0.1'], methods: ['POST'] }],
      }, settings: { timeoutMs: 60_000 } },
    ], ['start->agent'], { credentials: { llm: { kind: 'ai-provider', id: credentialId } } }));

    const first = await workerProcess();
    const killed = new Promise<void>((resolve) => first.once('exit', () => resolve()));
    let killedOnce = false;
    fake.onChat((body) => {
      const results = (body.messages ?? []).filter((m) => m.role === 'tool').length;
      const post = (p: string) => ({ name: 'shop', arguments: JSON.stringify({ method: 'POST', url: `${shop.url}${p}`, body: '{"order":7}' }) });
      if (results === 0) return { kind: 'answer', toolCalls: [post('/refund')] };
      if (results === 1) {
        if (!killedOnce) {
          // The refund is done and recorded; the model is being asked what next. The worker dies here.
          killedOnce = true;
          first.kill('SIGKILL');
          return { kind: 'hang' };
        }
        return { kind: 'answer', toolCalls: [post('/notify')] };
      }
      return { kind: 'answer', content: 'Refunded and told the buyer.' };
    });

    const { executionId } = await api.executions.run(WS, created.id, {});
    await killed;
    expect(killedOnce).toBe(true);
    await workerProcess();
    const done = await finished(executionId, 60_000);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');

    expect(shopRequests).toEqual([
      { path: '/refund', idempotencyKey: `${executionId}:agent:tool-1` },
      { path: '/notify', idempotencyKey: `${executionId}:agent:tool-2` },
    ]);
    const turnsAsked = fake.chatRequests().map((b) => (b.messages ?? []).filter((m) => m.role === 'tool').length);
    // The first turn was not asked again; the one the worker died in was asked twice.
    expect(turnsAsked).toEqual([0, 1, 1, 2]);
    const record = await api.executions.get(WS, executionId);
    expect(record.steps.filter((s) => s.stepKey.startsWith('agent/')).map((s) => s.stepKey))
      .toEqual(['agent/model-1', 'agent/tool-1', 'agent/model-2', 'agent/tool-2', 'agent/model-3']);
    expect((record.steps.findLast((s) => s.stepKey === 'agent')!.output as { main: { text: string } }).main.text).toBe('Refunded and told the buyer.');
  }, 120_000);
});
