import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flow, runAndWait, startTestRuntime, WS } from '../../../runtime/testing/harness.js';
import type { Runtime } from '../../../runtime/types.js';
import { startAiFake, type AiFake } from '../../ai/fake.js';

/**
 * An AI node's confidence feeds Triage with a plain expression, `{{ $json.confidence }}`, in a real
 * execution (worker, Postgres, Redis), the model behind the OpenAI-compatible fake.
 */
let runtime: Runtime;
let fake: AiFake;
let credentialId: string;

beforeAll(async () => {
  fake = await startAiFake();
  runtime = await startTestRuntime();
  credentialId = (await runtime.credentials.create(WS, { name: `ai ${Date.now()}`, kind: 'ai-provider', data: { preset: 'openai', apiKey: fake.apiKey ?? undefined, baseUrl: fake.url } })).id;
}, 60_000);
afterAll(async () => { await fake?.close(); });

const chain = [{ credential: 'provider', model: 'fake-chat', timeoutMs: 5000 }];
const triageProps = { text: '{{ $trigger.text }}', confidence: '{{ $json.confidence }}' };

async function route(flowId: string, text: string): Promise<{ port: string; reasons: string[] }> {
  const done = await runAndWait(runtime, flowId, { text });
  expect(done.status).toBe('succeeded');
  const output = done.steps.find((s) => s.nodeId === 'triage')!.output as Record<string, { triage: { reasons: string[] } }>;
  const [port, value] = Object.entries(output)[0]!;
  return { port, reasons: value.triage.reasons };
}

describe('AI confidence → Triage', () => {
  it('AI Chat\'s logprob confidence: answered at or above 0.7, escalated below', async () => {
    const doc = flow(`chat triage ${Math.random()}`, [
      { id: 'in', type: 'core.manual-trigger' },
      { id: 'draft', type: 'ai.chat', credentials: { provider: 'ai' }, props: { chain, prompt: '{{ $json.text }}' } },
      { id: 'triage', type: 'guardrails.triage', props: triageProps },
    ], ['in->draft', 'draft->triage'], { credentials: { ai: { kind: 'ai-provider', id: credentialId } } });
    const { id } = await runtime.flows.create(WS, doc);
    fake.script({ kind: 'answer', content: 'We open at nine.', tokenLogprob: Math.log(0.95) });
    expect(await route(id, 'When do you open?')).toEqual({ port: 'respond', reasons: ['confidence 0.95 is at least 0.7'] });
    fake.script({ kind: 'answer', content: 'Maybe at nine.', tokenLogprob: Math.log(0.4) });
    expect(await route(id, 'When do you open?')).toEqual({ port: 'escalate', reasons: ['confidence 0.4 is below 0.7'] });
  }, 60_000);

  it('AI Classify\'s label confidence, from its label output', async () => {
    const doc = flow(`classify triage ${Math.random()}`, [
      { id: 'in', type: 'core.manual-trigger' },
      { id: 'sort', type: 'ai.classify', credentials: { provider: 'ai' }, props: { chain, text: '{{ $json.text }}', choices: [{ id: 'question', description: 'Asks something' }], threshold: 0.1 } },
      { id: 'triage', type: 'guardrails.triage', props: triageProps },
    ], ['in->sort', 'sort:question->triage'], { credentials: { ai: { kind: 'ai-provider', id: credentialId } } });
    const { id } = await runtime.flows.create(WS, doc);
    fake.script({ kind: 'answer', content: '{"label":"question","confidence":0.99}', tokenLogprob: (t) => (t === 'question' ? Math.log(0.5) : 0) });
    expect(await route(id, 'Do you deliver?')).toEqual({ port: 'escalate', reasons: ['confidence 0.5 is below 0.7'] });
  }, 60_000);
});
