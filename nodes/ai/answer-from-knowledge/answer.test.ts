import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForIngestion } from '../../../runtime/knowledge/testing/stack.js';
import { flow, runAndWait, startTestRuntime, WS } from '../../../runtime/testing/harness.js';
import type { Runtime } from '../../../runtime/index.js';
import { startAiFake, type AiFake } from '../fake.js';

/**
 * Knowledge search and Answer from knowledge in real executions: a worker, the local embedder, the
 * knowledge base in Postgres, and the chat model behind the OpenAI-compatible fake on 127.0.0.1.
 */
let runtime: Runtime;
let fake: AiFake;
let credentialId: string;
const FALLBACK = 'I do not know yet, a colleague will write back.';

beforeAll(async () => {
  fake = await startAiFake();
  runtime = await startTestRuntime();
  const created = await runtime.credentials.create(WS, { name: 'fake ai', kind: 'ai-provider', data: { preset: 'custom', baseUrl: fake.url, apiKey: fake.apiKey ?? undefined } });
  credentialId = created.id;
  const kb = await runtime.knowledge.create(WS, { name: 'Bakery' });
  await runtime.knowledge.addSource(WS, kb.id, { faq: [
    { question: 'When does the bakery open?', answer: 'We open at 7:00 every day except Monday.' },
    { question: 'Do you bake gluten-free bread?', answer: 'Yes, a gluten-free loaf on Fridays, baked in a separate oven.' },
  ] });
  const [source] = await waitForIngestion(runtime.knowledge, kb.id);
  if (source?.status !== 'ready') throw new Error(`the FAQ did not index: ${source?.error}`);
}, 120_000);
afterAll(async () => {
  await fake?.close();
});

function answerFlow(extra: Record<string, unknown> = {}) {
  return flow(`answer ${Math.random()}`, [
    { id: 'in', type: 'core.manual-trigger' },
    { id: 'answer', type: 'ai.answer-from-knowledge', credentials: { provider: 'ai' },
      props: { knowledgeBase: 'Bakery', question: '{{ $json.text }}', fallbackAnswer: FALLBACK, chain: [{ credential: 'provider', model: 'fake-chat', timeoutMs: 5000 }], ...extra } },
  ], ['in->answer'], { credentials: { ai: { kind: 'ai-provider', id: credentialId } } });
}

describe('knowledge nodes', () => {
  it('Knowledge search emits the matching chunks with citations on main, and nothing close enough on none', async () => {
    const doc = flow(`search ${Math.random()}`, [
      { id: 'in', type: 'core.manual-trigger' },
      { id: 'search', type: 'ai.knowledge-search', props: { knowledgeBase: 'Bakery', query: '{{ $json.text }}', k: 1, minScore: 0.3 } },
    ], ['in->search']);
    const saved = await runtime.flows.create(WS, doc);
    const found = await runAndWait(runtime, saved.id, { text: 'is there bread without gluten?' });
    expect(found.status).toBe('succeeded');
    const step = found.steps.find((s) => s.nodeId === 'search')!;
    expect(step.output).toMatchObject({ main: { count: 1, hits: [{ n: 1, source: { kind: 'faq' }, headings: ['Do you bake gluten-free bread?'] }] } });
    expect(String((step.output as { main: { context: string } }).main.context)).toMatch(/^\[1\] \(FAQ \(2 questions\) › Do you bake gluten-free bread\?\)/);
    const none = await runAndWait(runtime, saved.id, { text: 'what is the airspeed velocity of an unladen swallow in the Andes' });
    expect(none.steps.find((s) => s.nodeId === 'search')!.output).toMatchObject({ none: { count: 0, hits: [] } });
  }, 60_000);

  it('answers from the chunks with citations through the chat model', async () => {
    fake.reset();
    fake.script({ kind: 'answer', content: 'We open at 7:00, except on Mondays [1].' });
    const saved = await runtime.flows.create(WS, answerFlow());
    const run = await runAndWait(runtime, saved.id, { text: 'what time do you open in the morning?' });
    expect(run.status).toBe('succeeded');
    const output = run.steps.find((s) => s.nodeId === 'answer')!.output as { main: Record<string, unknown> };
    expect(output.main).toMatchObject({
      answer: 'We open at 7:00, except on Mondays [1].', answered: true, model: 'fake-chat', confidence: 0.9512, confidenceSource: 'logprobs',
      citations: [{ n: 1, label: 'FAQ (2 questions) › When does the bakery open?' }],
    });
    const [request] = fake.chatRequests();
    const user = String(request!.messages!.at(-1)!.content);
    expect(user).toContain('[1] (FAQ (2 questions) › When does the bakery open?)');
    expect(user).toContain('Question: what time do you open in the morning?');
    expect(String(request!.messages![0]!.content)).toContain(FALLBACK);
  }, 60_000);

  it('says the configured words without calling the model when nothing passes the minimum score', async () => {
    fake.reset();
    const saved = await runtime.flows.create(WS, answerFlow({ minScore: 0.5 }));
    const run = await runAndWait(runtime, saved.id, { text: 'how do I renew my passport at the embassy' });
    expect(run.status).toBe('succeeded');
    expect(run.steps.find((s) => s.nodeId === 'answer')!.output).toMatchObject({ unanswered: { answer: FALLBACK, answered: false, reason: 'no_match', confidence: 0, confidenceSource: 'retrieval' } });
    expect(fake.chatRequests()).toHaveLength(0);
  }, 60_000);

  it('routes a model that cannot answer from the chunks to unanswered, and names a missing knowledge base', async () => {
    fake.reset();
    fake.script({ kind: 'answer', content: FALLBACK });
    const saved = await runtime.flows.create(WS, answerFlow({ minScore: 0 }));
    const run = await runAndWait(runtime, saved.id, { text: 'do you sell birthday cakes?' });
    expect(run.steps.find((s) => s.nodeId === 'answer')!.output).toMatchObject({ unanswered: { answer: FALLBACK, reason: 'model_declined' } });
    const missing = await runtime.flows.create(WS, answerFlow({ knowledgeBase: 'Butcher' }));
    const failed = await runAndWait(runtime, missing.id, { text: 'hello' });
    expect(failed.status).toBe('failed');
    expect(failed.error?.message).toContain('there is no knowledge base "Butcher"');
  }, 60_000);
});
