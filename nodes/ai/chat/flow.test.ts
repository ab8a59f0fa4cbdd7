import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flow, runAndWait, startTestRuntime, WS } from '../../../runtime/testing/harness.js';
import type { Runtime } from '../../../runtime/types.js';
import { startAiFake, type AiFake } from '../fake.js';

/**
 * AI Chat in real executions (worker, Postgres, Redis): cost from the settings' price table, the
 * per-execution sum, the answer cache, expression errors, and the API key kept out of every record.
 */
let runtime: Runtime;
let fake: AiFake;
let credentialId: string;
const KEY = 'sk-live-flowtest-abcdef0123456789';

beforeAll(async () => {
  fake = await startAiFake({ apiKey: KEY });
  runtime = await startTestRuntime();
  credentialId = (await runtime.credentials.create(WS, { name: `ai ${Date.now()}`, kind: 'ai-provider', data: { preset: 'openai', apiKey: KEY, baseUrl: fake.url } })).id;
  await runtime.aiPrices.replace(WS, { prices: [{ model: 'fake-chat', input: 2, output: 8 }] });
});
afterAll(async () => { await fake.close(); });

async function chatFlow(props: Record<string, unknown>, nodes = 1): Promise<string> {
  const document = flow(`ai flow ${Date.now()}-${Math.random()}`, [
    { id: 'start', type: 'core.manual-trigger' },
    ...Array.from({ length: nodes }, (_, i) => ({ id: `ai${i}`, type: 'ai.chat', props, credentials: { provider: 'llm' } })),
  ], Array.from({ length: nodes }, (_, i) => `${i === 0 ? 'start' : `ai${i - 1}`}->ai${i}`), { credentials: { llm: { kind: 'ai-provider', id: credentialId } } });
  return (await runtime.flows.create(WS, document)).id;
}

const chain = (model: string) => [{ credential: 'provider', model, timeoutMs: 5000 }];

describe('ai.chat in a flow', () => {
  it('prices each step from the table and sums the execution', async () => {
    fake.reset();
    fake.onChat(() => ({ kind: 'answer', content: 'ok', usage: { prompt: 1000, completion: 500 } }));
    const flowId = await chatFlow({ chain: chain('fake-chat'), prompt: 'Order {{ $trigger.order.id }}?' }, 2);
    const done = await runAndWait(runtime, flowId, { order: { id: 42 } });
    const record = await runtime.executions.get(WS, done.id);
    expect(record.steps.map((s) => s.error?.message ?? s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const step = record.steps.find((s) => s.nodeId === 'ai0')!;
    // 1000 × $2/M + 500 × $8/M = $0.006
    expect(step.output).toMatchObject({ main: { text: 'ok', usage: { promptTokens: 1000, completionTokens: 500, totalTokens: 1500, cost: 0.006, currency: 'USD' } } });
    expect(record.aiUsage).toEqual({ steps: 2, promptTokens: 2000, completionTokens: 1000, totalTokens: 3000, cost: 0.012, currency: 'USD', unpricedSteps: 0 });
    expect(fake.chatRequests()[0]!.messages!.at(-1)).toEqual({ role: 'user', content: 'Order 42?' });
    fake.onChat(undefined);
  });

  it('records tokens only for a model without a price', async () => {
    fake.reset();
    const flowId = await chatFlow({ chain: chain('unlisted-model'), prompt: 'hi' });
    const done = await runAndWait(runtime, flowId, {});
    const record = await runtime.executions.get(WS, done.id);
    const usage = (record.steps.find((s) => s.nodeId === 'ai0')!.output as { main: { usage: Record<string, unknown> } }).main.usage;
    expect(usage).toMatchObject({ totalTokens: expect.any(Number), unpriced: ['unlisted-model'] });
    expect(usage.cost).toBeUndefined();
    expect(record.aiUsage).toMatchObject({ steps: 1, cost: 0, unpricedSteps: 1 });
  });

  it('asks again once a cached answer\'s TTL has passed', async () => {
    fake.reset();
    const flowId = await chatFlow({ chain: chain('fake-chat'), prompt: 'short-lived', cacheTtlSeconds: 1 });
    await runAndWait(runtime, flowId, {});
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const again = await runtime.executions.get(WS, (await runAndWait(runtime, flowId, {})).id);
    expect((again.steps.find((s) => s.nodeId === 'ai0')!.output as { main: { cached: boolean } }).main.cached).toBe(false);
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it('refuses a price table with a model twice or a negative price, naming it', async () => {
    const duplicate = await runtime.aiPrices.replace(WS, { prices: [{ model: 'a', input: 1, output: 1 }, { model: 'a', input: 2, output: 2 }] }).catch((e: unknown) => e);
    expect(duplicate).toMatchObject({ status: 400, message: expect.stringContaining('"a" is listed twice') });
    const negative = await runtime.aiPrices.replace(WS, { prices: [{ model: 'b', input: -1, output: 1 }] }).catch((e: unknown) => e);
    expect(negative).toMatchObject({ status: 400, message: expect.stringContaining('prices.0.input') });
    expect(await runtime.aiPrices.list(WS)).toEqual([{ model: 'fake-chat', input: 2, output: 8 }]);
  });

  it('answers an identical request from the cache, costing nothing', async () => {
    fake.reset();
    const flowId = await chatFlow({ chain: chain('fake-chat'), prompt: 'What are your hours? {{ $json.n }}', cacheTtlSeconds: 60 });
    const first = await runtime.executions.get(WS, (await runAndWait(runtime, flowId, { n: 1 })).id);
    const second = await runtime.executions.get(WS, (await runAndWait(runtime, flowId, { n: 1 })).id);
    const third = await runtime.executions.get(WS, (await runAndWait(runtime, flowId, { n: 2 })).id);
    const out = (r: typeof first) => (r.steps.find((s) => s.nodeId === 'ai0')!.output as { main: { text: string; cached: boolean; usage: { cost?: number } } }).main;
    expect(out(first).cached).toBe(false);
    expect(out(second)).toMatchObject({ cached: true, text: out(first).text, usage: { totalTokens: 0, cost: 0 } });
    expect(out(third).cached).toBe(false);
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it('fails a prompt whose expression reads through a missing field, naming the expression, and asks no provider', async () => {
    fake.reset();
    const flowId = await chatFlow({ chain: chain('fake-chat'), prompt: 'Customer {{ $json.customer.name }} wrote' });
    const done = await runAndWait(runtime, flowId, {});
    expect(done.status).toBe('failed');
    const record = await runtime.executions.get(WS, done.id);
    const error = record.steps.find((s) => s.nodeId === 'ai0')!.error!;
    expect(error.message).toContain('{{ $json.customer.name }}');
    expect(fake.chatRequests()).toHaveLength(0);
  });

  it('keeps the API key out of step records, errors and Redis', async () => {
    fake.reset();
    fake.script({ kind: 'status', status: 500, message: `overloaded (key ${KEY})` }, { kind: 'status', status: 500, message: `overloaded (key ${KEY})` });
    const failing = await chatFlow({ chain: [...chain('fake-chat'), { credential: 'provider', model: 'fake-mini', timeoutMs: 5000 }], prompt: 'hi' });
    const failed = await runAndWait(runtime, failing, {});
    expect(failed.status).toBe('failed');
    const cached = await chatFlow({ chain: chain('fake-chat'), prompt: 'cache me', cacheTtlSeconds: 60 });
    expect((await runAndWait(runtime, cached, {})).status).toBe('succeeded');
    expect(fake.requests.every((r) => r.apiKey === KEY)).toBe(true);

    const rows = await runtime.knex('execution_steps').whereIn('execution_id', [failed.id]).select('input', 'output', 'error');
    const records = JSON.stringify(rows) + JSON.stringify(await runtime.executions.get(WS, failed.id));
    expect(records).toContain('overloaded');
    expect(records).not.toContain(KEY);

    const redis = new Redis(runtime.config.redisUrl!);
    try {
      const keys = await redis.keys(`${runtime.config.redisPrefix}:aic:*`);
      expect(keys.length).toBeGreaterThan(0);
      const values = await Promise.all(keys.map((k) => redis.get(k)));
      expect(JSON.stringify(keys) + JSON.stringify(values)).not.toContain(KEY);
    } finally {
      redis.disconnect();
    }
  });
});
