import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForIngestion } from '../../../runtime/knowledge/testing/stack.js';
import { flow, runAndWait, startLocalServer, startTestRuntime, WS } from '../../../runtime/testing/harness.js';
import type { Runtime } from '../../../runtime/index.js';
import { startAiFake, type AiFake, type FakeChatBody, type FakeStep } from '../fake.js';
import { startTelegramFake } from '../../channels/telegram/fake.js';

/**
 * The AI Agent in real executions (worker, Postgres, Redis, the local embedder) against the
 * OpenAI-compatible fake answering scripted tool-call sequences: knowledge search, HTTP to declared
 * hosts, another flow as a tool, memory in and out, tool errors handed back, max iterations.
 */
let runtime: Runtime;
let fake: AiFake;
let credentialId: string;
let shop: Awaited<ReturnType<typeof startLocalServer>>;
const shopRequests: { path: string; body: string; idempotencyKey?: string }[] = [];

beforeAll(async () => {
  fake = await startAiFake();
  runtime = await startTestRuntime();
  shop = await startLocalServer((req, body, res) => {
    shopRequests.push({ path: req.url ?? '', body, idempotencyKey: req.headers['idempotency-key'] as string | undefined });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ inStock: 3, sku: 'GF-LOAF' }));
  });
  credentialId = (await runtime.credentials.create(WS, { name: `agent ai ${Date.now()}`, kind: 'ai-provider', data: { preset: 'custom', baseUrl: fake.url, apiKey: fake.apiKey ?? undefined } })).id;
  await runtime.aiPrices.replace(WS, { prices: [{ model: 'fake-chat', input: 2, output: 8 }] });
  const kb = await runtime.knowledge.create(WS, { name: 'Agent bakery' });
  await runtime.knowledge.addSource(WS, kb.id, { faq: [
    { question: 'When does the bakery open?', answer: 'We open at 7:00 every day except Monday.' },
    { question: 'Do you bake gluten-free bread?', answer: 'Yes, a gluten-free loaf on Fridays, baked in a separate oven.' },
  ] });
  const [source] = await waitForIngestion(runtime.knowledge, kb.id);
  if (source?.status !== 'ready') throw new Error(`the FAQ did not index: ${source?.error}`);
}, 120_000);
afterAll(async () => { await fake?.close(); });

const chain = [{ credential: 'provider', model: 'fake-chat', timeoutMs: 5000 }];
const searchTool = { kind: 'knowledge', name: 'search_faq', description: 'Search the bakery FAQ', knowledgeBase: 'Agent bakery', k: 2, minScore: 0 };
const stockTool = (hosts: string[]) => ({ kind: 'http', name: 'check_stock', description: 'Ask the shop API for stock', hosts, methods: ['GET', 'POST'] });

async function agentFlow(props: Record<string, unknown>, extraNodes: Parameters<typeof flow>[1] = []) {
  const document = flow(`agent ${Math.random()}`, [
    { id: 'start', type: 'core.manual-trigger' },
    { id: 'agent', type: 'ai.agent', props: { chain, prompt: '{{ $json.text }}', ...props }, credentials: { provider: 'llm' } },
    ...extraNodes,
  ], ['start->agent'], { credentials: { llm: { kind: 'ai-provider', id: credentialId } } });
  return (await runtime.flows.create(WS, document)).id;
}

/** The model's next move from how many tool results it has read so far. */
function byToolResults(moves: ((body: FakeChatBody) => FakeStep)[]) {
  fake.onChat((body) => {
    const results = (body.messages ?? []).filter((m) => m.role === 'tool').length;
    return (moves[results] ?? moves[moves.length - 1]!)(body);
  });
}

/** Waits past the agent's parked waits for the end of the execution. */
async function finished(executionId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = await runtime.executions.get(WS, executionId);
    if (['succeeded', 'failed', 'cancelled'].includes(record.status) || Date.now() > deadline) return record;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const call = (name: string, args: unknown, id?: string) => ({ ...(id ? { id } : {}), name, arguments: JSON.stringify(args) });
const usage = { prompt: 100, completion: 10 };

describe('ai.agent', () => {
  it('searches knowledge, calls an allowed host, answers; each turn and call a sub-step, tokens summed once', async () => {
    fake.reset();
    shopRequests.length = 0;
    byToolResults([
      () => ({ kind: 'answer', toolCalls: [call('search_faq', { query: 'gluten-free bread' })], usage }),
      () => ({ kind: 'answer', toolCalls: [call('check_stock', { method: 'POST', url: `${shop.url}/stock`, body: '{"sku":"GF-LOAF"}' })], usage }),
      () => ({ kind: 'answer', content: 'Yes: a gluten-free loaf on Fridays, 3 in stock.', usage }),
    ]);
    const flowId = await agentFlow({ tools: [searchTool, stockTool(['127.0.0.1'])] });
    const done = await runAndWait(runtime, flowId, { text: 'Do you have gluten-free bread?' }, 60_000);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    const record = await runtime.executions.get(WS, done.id);
    const agent = record.steps.find((s) => s.stepKey === 'agent')!;
    expect(agent.output).toMatchObject({ main: {
      text: 'Yes: a gluten-free loaf on Fridays, 3 in stock.', iterations: 3,
      toolCalls: [{ n: 1, tool: 'search_faq', ok: true }, { n: 2, tool: 'check_stock', ok: true }],
      // 3 turns × (100 × $2/M + 10 × $8/M)
      usage: { promptTokens: 300, completionTokens: 30, totalTokens: 330, cost: 0.00084, currency: 'USD' },
    } });
    // The execution's sum counts the agent once, not its turns again.
    expect(record.aiUsage).toMatchObject({ steps: 1, totalTokens: 330, cost: 0.00084 });

    const subSteps = record.steps.filter((s) => s.stepKey.startsWith('agent/'));
    expect(subSteps.map((s) => s.stepKey)).toEqual(['agent/model-1', 'agent/tool-1', 'agent/model-2', 'agent/tool-2', 'agent/model-3']);
    expect(subSteps.every((s) => s.nodeId === 'agent' && s.status === 'succeeded')).toBe(true);
    const search = subSteps[1]!;
    expect(search.input).toMatchObject({ tool: 'search_faq', arguments: '{"query":"gluten-free bread"}' });
    expect(search.output).toMatchObject({ main: { tool: 'search_faq', ok: true, data: expect.arrayContaining([expect.objectContaining({ text: expect.stringContaining('gluten-free loaf') })]) } });
    expect(subSteps[3]!.output).toMatchObject({ main: { ok: true, data: { status: 200, body: { inStock: 3 } } } });

    // One POST, with the call's own idempotency key.
    expect(shopRequests).toEqual([{ path: '/stock', body: '{"sku":"GF-LOAF"}', idempotencyKey: `${done.id}:agent:tool-2` }]);
    // Tool results stay in the conversation: the last request carries both, in the API's shape.
    const requests = fake.chatRequests();
    expect(requests).toHaveLength(3);
    const last = requests[2]!.messages!;
    expect(last.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool']);
    expect(String(last[3]!.content)).toContain('gluten-free loaf on Fridays');
    expect(String(last[5]!.content)).toContain('"inStock":3');
    expect(requests[0]!.tools).toHaveLength(2);
    // And they come out as memory for the next turn.
    expect((agent.output as { main: { messages: { role: string }[] } }).main.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'tool', 'assistant']);
  }, 60_000);

  it('hands a refused host, bad arguments and an unknown tool back to the model instead of failing', async () => {
    fake.reset();
    shopRequests.length = 0;
    byToolResults([
      () => ({ kind: 'answer', toolCalls: [
        call('check_stock', { method: 'GET', url: `${shop.url}/stock` }),
        call('check_stock', { method: 'GET' }),
        call('order_pizza', {}),
      ] }),
      () => ({ kind: 'answer', content: 'I could not check the stock.' }),
    ]);
    const flowId = await agentFlow({ tools: [stockTool(['api.example.com'])] });
    const done = await runAndWait(runtime, flowId, { text: 'stock?' });
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(shopRequests).toHaveLength(0);
    const tools = fake.chatRequests()[1]!.messages!.filter((m) => m.role === 'tool').map((m) => String(m.content));
    expect(tools[0]).toMatch(/^refused: 127\.0\.0\.1:\d+ is not one of this tool's hosts \(api\.example\.com\)$/);
    expect(tools[1]).toContain('did not match expected schema');
    expect(tools[1]).toContain('url');
    expect(tools[2]).toBe('there is no tool "order_pizza"; the tools are: check_stock');
    const record = await runtime.executions.get(WS, done.id);
    expect(record.steps.find((s) => s.stepKey === 'agent')!.output).toMatchObject({ main: { toolCalls: [{ ok: false }, { ok: false }, { ok: false }] } });
  });

  it('fails with max_iterations when the model keeps calling tools, its tokens still counted', async () => {
    fake.reset();
    fake.onChat(() => ({ kind: 'answer', toolCalls: [call('search_faq', { query: 'bread' })], usage }));
    const flowId = await agentFlow({ tools: [searchTool], maxIterations: 3 });
    const done = await runAndWait(runtime, flowId, { text: 'loop forever' }, 60_000);
    expect(done.status).toBe('failed');
    const record = await runtime.executions.get(WS, done.id);
    const agent = record.steps.find((s) => s.stepKey === 'agent')!;
    expect(agent.error).toMatchObject({ code: 'max_iterations', message: expect.stringContaining('after 3 model calls') });
    expect(fake.chatRequests()).toHaveLength(3);
    expect(record.steps.filter((s) => s.stepKey.startsWith('agent/tool-'))).toHaveLength(3);
    expect(record.aiUsage).toMatchObject({ steps: 1, totalTokens: 330 });
  }, 60_000);

  it('runs another flow as a tool, twice in one step, each call its own child', async () => {
    const child = await runtime.flows.create(WS, flow(`price ${Math.random()}`, [
      { id: 'in', type: 'core.manual-trigger' },
      { id: 'quote', type: 'core.set', props: { fields: [{ name: 'price', value: '{{ $json.qty * 4 }}' }, { name: 'item', value: '{{ $json.item }}' }] } },
    ], ['in->quote']));
    fake.reset();
    byToolResults([
      () => ({ kind: 'answer', toolCalls: [call('quote', { item: 'loaf', qty: 2 })] }),
      () => ({ kind: 'answer', toolCalls: [call('quote', { item: 'bun', qty: 5 })] }),
      (body) => ({ kind: 'answer', content: `quotes: ${(body.messages ?? []).filter((m) => m.role === 'tool').map((m) => String(m.content)).join(' ')}` }),
    ]);
    const flowId = await agentFlow({ tools: [{
      kind: 'flow', name: 'quote', description: 'Price a quantity of an item', flowId: child.id,
      inputSchema: { type: 'object', properties: { item: { type: 'string' }, qty: { type: 'integer' } }, required: ['item', 'qty'] },
    }] });
    const { executionId } = await runtime.executions.run(WS, flowId, { text: 'price 2 loaves and 5 buns' });
    const done = await finished(executionId);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    const record = await runtime.executions.get(WS, executionId);
    expect((record.steps.findLast((s) => s.stepKey === 'agent')!.output as { main: { text: string } }).main.text)
      .toBe('quotes: {"item":"loaf","price":8} {"item":"bun","price":20}');
    const children = await runtime.knex('executions').where({ parent_execution_id: executionId }).orderBy('id').select('id', 'status');
    expect(children.map((c) => [c.id, c.status])).toEqual([[`${executionId}.agent.tool-1`, 'succeeded'], [`${executionId}.agent.tool-2`, 'succeeded']]);
  }, 60_000);

  it('takes earlier tool calls and results as memory, in the API\'s shape', async () => {
    fake.reset();
    fake.script({ kind: 'answer', content: 'Still 3 in stock, as I found earlier.' });
    const memory = [
      { role: 'user', content: 'stock?' },
      { role: 'assistant', content: null, toolCalls: [{ id: 'call_1', name: 'check_stock', arguments: '{"method":"GET","url":"https://api.example.com/stock"}' }] },
      { role: 'tool', toolCallId: 'call_1', content: 'HTTP 200\n{"inStock":3}' },
      { role: 'assistant', content: '3 in stock.' },
    ];
    const flowId = await agentFlow({ tools: [stockTool(['api.example.com'])], memory, system: '' });
    const done = await runAndWait(runtime, flowId, { text: 'and now?' });
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    const sent = fake.chatRequests()[0]!.messages!;
    expect(sent[1]).toMatchObject({ role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'check_stock' } }] });
    expect(sent[2]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: 'HTTP 200\n{"inStock":3}' });
    expect(sent.at(-1)).toEqual({ role: 'user', content: 'and now?' });
  });

  it('sends a message on a channel account through its send path, recorded in the conversation', async () => {
    const telegram = await startTelegramFake();
    try {
      const bot = await runtime.credentials.create(WS, { name: `agent bot ${Date.now()}`, kind: 'telegram-bot', data: { token: telegram.token, baseUrl: telegram.url } });
      fake.reset();
      byToolResults([
        () => ({ kind: 'answer', toolCalls: [call('tell_customer', { text: 'Your loaf is ready for pickup.' })] }),
        () => ({ kind: 'answer', content: 'Told them.' }),
      ]);
      const document = flow(`agent channel ${Math.random()}`, [
        { id: 'start', type: 'core.manual-trigger' },
        { id: 'agent', type: 'ai.agent', credentials: { provider: 'llm', channel: 'tg' }, props: {
          chain, prompt: 'tell the customer',
          tools: [{ kind: 'channel', name: 'tell_customer', description: 'Write to the customer', to: '{{ $json.chatId }}' }],
        } },
      ], ['start->agent'], { credentials: { llm: { kind: 'ai-provider', id: credentialId }, tg: { kind: 'telegram-bot', id: bot.id } } });
      const flowId = (await runtime.flows.create(WS, document)).id;
      const done = await runAndWait(runtime, flowId, { chatId: '424242' });
      expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
      expect(telegram.sentTo('424242').map((m) => m.text)).toEqual(['Your loaf is ready for pickup.']);
      // The model only passes the text: the contact is the tool's.
      expect(Object.keys((fake.chatRequests()[0]!.tools![0] as { function: { parameters: { properties: object } } }).function.parameters.properties)).toEqual(['text']);
      const record = await runtime.executions.get(WS, done.id);
      expect(record.steps.find((s) => s.stepKey === 'agent/tool-1')!.output).toMatchObject({ main: { ok: true, data: { contactId: '424242', simulated: false } } });
      const stored = await runtime.knex('conversation_messages').where({ credential_id: bot.id }).select('direction', 'text');
      expect(stored).toEqual([{ direction: 'out', text: 'Your loaf is ready for pickup.' }]);
    } finally {
      await telegram.close();
    }
  });

  it('remembers a conversation\'s tool calls and results for the next run with the same key', async () => {
    fake.reset();
    shopRequests.length = 0;
    byToolResults([
      (body) => ((body.messages ?? []).some((m) => m.role === 'assistant')
        // The second run: the first run's call and result are in memory, no tool needed.
        ? { kind: 'answer', content: 'Still the GF-LOAF you asked about.' }
        : { kind: 'answer', toolCalls: [call('check_stock', { method: 'GET', url: `${shop.url}/stock` })] }),
      () => ({ kind: 'answer', content: '3 in stock.' }),
    ]);
    const flowId = await agentFlow({ tools: [stockTool(['127.0.0.1'])], rememberKey: '{{ $json.contact }}', system: '' });
    const first = await runAndWait(runtime, flowId, { text: 'stock?', contact: 'c-77' });
    expect(first.status, JSON.stringify(first.error)).toBe('succeeded');
    const second = await runAndWait(runtime, flowId, { text: 'which item was that?', contact: 'c-77' });
    expect(second.status, JSON.stringify(second.error)).toBe('succeeded');
    const other = await runAndWait(runtime, flowId, { text: 'stock?', contact: 'c-78' });
    expect(other.status).toBe('succeeded');

    const requests = fake.chatRequests();
    // First run: 2 requests; second: 1, starting from the remembered exchange; another contact: 2, fresh.
    expect(requests).toHaveLength(5);
    expect(requests[2]!.messages!.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user']);
    expect(String(requests[2]!.messages![2]!.content)).toContain('"inStock":3');
    expect(requests[3]!.messages!.map((m) => m.role)).toEqual(['user']);
    expect(shopRequests).toHaveLength(2);
  });
});
