import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../runtime/net/index.js';
import { createTestContext, runNode } from '../../testing.js';
import chat from '../chat/index.js';
import classify from '../classify/index.js';
import { fakeTokenize, startAiFake, type AiFake } from '../fake.js';
import { jsonValueProbability, meanTokenProbability } from './confidence.js';
import type { providerCredentials } from './node-props.js';

let fake: AiFake;
const http = createHttpClient({ allow: ['127.0.0.1'] });
beforeAll(async () => { fake = await startAiFake(); });
afterAll(async () => { await fake.close(); http.close(); });
beforeEach(() => fake.reset());

const ctx = () => createTestContext<typeof providerCredentials>({
  http, credentials: { provider: { id: 'c1', kind: 'ai-provider', fields: { preset: 'openai', baseUrl: fake.url, apiKey: fake.apiKey! } } },
});
const chain = [{ credential: 'provider' as const, model: 'fake-chat', timeoutMs: 5000 }];
const tokens = (text: string, logprob: (token: string) => number) => fakeTokenize(text).map((token) => ({ token, logprob: logprob(token) }));

describe('confidence from log-probabilities', () => {
  it('the fake answers logprobs in the real API\'s shape when asked, and none when not', async () => {
    const client = new OpenAI({ baseURL: fake.url, apiKey: fake.apiKey!, maxRetries: 0 });
    fake.script({ kind: 'answer', content: 'We open at 9.', tokenLogprob: -0.2 });
    const asked = await client.chat.completions.create({ model: 'fake-chat', messages: [{ role: 'user', content: 'hours?' }], logprobs: true, top_logprobs: 2 });
    const content = asked.choices[0]!.logprobs!.content!;
    expect(content.map((t) => t.token).join('')).toBe('We open at 9.');
    expect(content[1]).toMatchObject({ token: ' open', logprob: -0.2, bytes: [...Buffer.from(' open')] });
    expect(content[1]!.top_logprobs).toHaveLength(2);
    expect(content[1]!.top_logprobs[0]).toMatchObject({ token: ' open', logprob: -0.2 });
    const plain = await client.chat.completions.create({ model: 'fake-chat', messages: [{ role: 'user', content: 'hours?' }] });
    expect(plain.choices[0]!.logprobs).toBeNull();
  });

  it('chat: the geometric mean of the token probabilities', () => {
    expect(meanTokenProbability([{ token: 'a', logprob: Math.log(0.9) }, { token: 'b', logprob: Math.log(0.4) }])).toBeCloseTo(0.6, 4);
    expect(meanTokenProbability([])).toBeUndefined();
  });

  it('classify: the probability of the chosen label\'s own tokens, wherever the key sits', () => {
    const text = '{"reason":"wants money back", "label": "sales-lead","confidence":0.99}';
    const lp = tokens(text, (t) => (t === 'sales' ? Math.log(0.6) : t === 'lead' ? Math.log(0.9) : -0.001));
    expect(jsonValueProbability(lp, 'label', 'sales-lead')).toBeCloseTo(0.6 * 0.9 * Math.exp(-0.001), 4);
    expect(jsonValueProbability(lp, 'label', 'refund')).toBeUndefined();
  });
});

describe('confidence on the AI nodes (through the fake)', () => {
  it('AI Chat asks for logprobs and outputs their geometric mean, saying so', async () => {
    fake.script({ kind: 'answer', content: 'We open at nine.', tokenLogprob: (t) => (t === ' nine' ? Math.log(0.5) : 0) });
    const out = await runNode(chat, {}, { chain, prompt: 'When do you open?' }, ctx());
    // 5 tokens, one at 0.5: 0.5^(1/5)
    expect(out).toMatchObject({ main: { text: 'We open at nine.', confidence: 0.8706, confidenceSource: 'logprobs' } });
    expect(fake.chatRequests()[0]!.logprobs).toBe(true);
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('AI Chat falls back to a structured self-assessment when the provider returns no logprobs', async () => {
    fake.script(
      { kind: 'answer', content: 'Probably at nine.', noLogprobs: true },
      { kind: 'answer', content: '{"confidence":0.35,"reason":"the hours were not given"}' },
    );
    const out = await runNode(chat, {}, { chain, prompt: 'When do you open?' }, ctx()) as { main: { text: string; confidence: number; confidenceSource: string; attempts: unknown[] } };
    expect(out.main).toMatchObject({ text: 'Probably at nine.', confidence: 0.35, confidenceSource: 'self-assessed' });
    expect(out.main.attempts).toHaveLength(2);
    const rating = fake.chatRequests()[1]!;
    expect(rating.messages!.slice(-3, -1)).toMatchObject([{ role: 'assistant', content: 'Probably at nine.' }, { role: 'user', content: expect.stringMatching(/^How likely is your answer above/) }]);
    expect(rating.response_format?.json_schema?.schema?.properties?.confidence).toBeDefined();
  });

  it('AI Chat "self-assessed" asks for { answer, confidence } in one structured call, also around a JSON schema', async () => {
    fake.script({ kind: 'answer', content: '{"answer":"Nine o\'clock.","confidence":0.8}' });
    expect(await runNode(chat, {}, { chain, prompt: 'When?', confidenceMethod: 'self-assessed' }, ctx())).toMatchObject({
      main: { text: 'Nine o\'clock.', confidence: 0.8, confidenceSource: 'self-assessed' },
    });
    expect(fake.chatRequests()[0]!.logprobs).toBeUndefined();
    fake.script({ kind: 'answer', content: '{"answer":{"intent":"refund"},"confidence":1.7}' });
    const jsonSchema = { type: 'object', properties: { intent: { type: 'string' } }, required: ['intent'] };
    // A stated confidence outside 0–1 fails the schema and is repaired once.
    fake.script({ kind: 'answer', content: '{"answer":{"intent":"refund"},"confidence":0.7}' });
    expect(await runNode(chat, {}, { chain, prompt: 'x', output: 'json', jsonSchema, confidenceMethod: 'self-assessed' }, ctx())).toMatchObject({
      main: { json: { intent: 'refund' }, confidence: 0.7, confidenceSource: 'self-assessed', repaired: true },
    });
  });

  it('a provider that refuses the logprobs parameter is asked again without it, both attempts recorded', async () => {
    fake.script(
      { kind: 'status', status: 400, message: '`logprobs` is not supported with this model' },
      { kind: 'answer', content: 'Nine.' },
      { kind: 'answer', content: '{"confidence":0.9}' },
    );
    const out = await runNode(chat, {}, { chain, prompt: 'When?' }, ctx()) as { main: { confidence: number; confidenceSource: string; attempts: { ok: boolean }[] } };
    expect(out.main).toMatchObject({ confidence: 0.9, confidenceSource: 'self-assessed' });
    expect(out.main.attempts.map((a) => a.ok)).toEqual([false, true, true]);
    expect(fake.chatRequests().map((r) => r.logprobs ?? false)).toEqual([true, false, false]);
  });

  it('"off" asks for no confidence', async () => {
    const out = await runNode(chat, {}, { chain, prompt: 'hi', confidenceMethod: 'off' }, ctx()) as { main: Record<string, unknown> };
    expect(out.main.confidence).toBeUndefined();
    expect(fake.chatRequests()[0]!.logprobs).toBeUndefined();
  });

  it('AI Classify routes by the label tokens\' probability, not the number the model states', async () => {
    const props = { chain, text: 'money back please', choices: [{ id: 'refund', description: 'Asks for money back' }], threshold: 0.7 };
    const content = '{"label":"refund","confidence":0.99}';
    fake.script({ kind: 'answer', content, tokenLogprob: (t) => (t === 'refund' ? Math.log(0.55) : 0) });
    const unsure = await runNode(classify, { text: 'money back please' }, props, ctx());
    expect(unsure).toMatchObject({ other: { confidence: 0.55, confidenceSource: 'logprobs', classification: { modelLabel: 'refund', confidence: 0.55, selfAssessedConfidence: 0.99, belowThreshold: true } } });
    fake.script({ kind: 'answer', content, tokenLogprob: (t) => (t === 'refund' ? Math.log(0.97) : 0) });
    expect(await runNode(classify, {}, props, ctx())).toMatchObject({ refund: { confidence: 0.97, confidenceSource: 'logprobs' } });
    fake.script({ kind: 'answer', content, noLogprobs: true });
    expect(await runNode(classify, {}, props, ctx())).toMatchObject({ refund: { confidence: 0.99, confidenceSource: 'self-assessed' } });
  });
});
