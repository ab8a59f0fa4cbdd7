import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../runtime/net/index.js';
import { startAiFake, type AiFake } from '../../ai/fake.js';
import { AI_PROVIDER_KIND } from '../../ai/_shared/presets.js';
import { createTestContext, runNode } from '../../testing.js';
import { localModel } from '../_shared/testing/local-model.js';
import topics from './index.js';

/** The local method runs the real sentence model (slow on a busy machine: small corpus, long timeouts). */
const model = localModel();
let fake: AiFake;
const http = createHttpClient({ allow: ['127.0.0.1'] });
beforeAll(async () => { fake = await startAiFake(); });
afterAll(async () => { await fake?.close(); http.close(); await model.close(); });
beforeEach(() => fake.reset());

const BAKERY = [
  { name: 'Orders and delivery', description: 'Questions about orders, delivery times, tracking, shipping and returns' },
  { name: 'Opening hours and locations', description: 'When and where our bakery shops are open' },
  { name: 'Products', description: 'Our breads, cakes and pastries, their ingredients, allergens and prices' },
];

/** Labelled examples with the topic expected (or none: off-topic). */
export const TOPIC_EXAMPLES: { text: string; topic: string | null }[] = [
  { text: 'Where is my parcel?', topic: 'Orders and delivery' },
  { text: 'I want to return my order', topic: 'Orders and delivery' },
  { text: 'When do you open on Sunday?', topic: 'Opening hours and locations' },
  { text: 'Is the sourdough gluten-free?', topic: 'Products' },
  { text: 'What do you think about the election?', topic: null },
  { text: 'Write me a poem about the sea', topic: null },
  { text: 'Can you help me with my python homework?', topic: null },
  { text: 'Who will win the football match tonight?', topic: null },
];

const local = () => ({ ...createTestContext(), knowledge: model.knowledge });
const withProvider = () => createTestContext({
  http, credentials: { provider: { id: 'cred-ai', kind: AI_PROVIDER_KIND, fields: { preset: 'custom', baseUrl: fake.url, apiKey: fake.apiKey ?? '' } } },
});

describe('guardrails.topics', () => {
  it('locally (no key): each labelled example lands on its topic, off-topic ones fail naming the closest', async () => {
    for (const example of TOPIC_EXAMPLES) {
      const out = await runNode(topics, { id: 1 }, { text: example.text, topics: BAKERY }, local()) as Record<string, { guardrail: Record<string, unknown> }>;
      if (example.topic) {
        expect(out.pass?.guardrail, example.text).toMatchObject({ check: 'topics', passed: true, method: 'local', topic: example.topic });
      } else {
        expect(out.fail?.guardrail, example.text).toMatchObject({ check: 'topics', passed: false, findings: [{ rule: 'off-topic', method: 'local', closest: expect.any(String) }] });
      }
    }
  }, 120_000);

  it('with an AI provider: a classify-style prompt with the topics as an enum, none fails', async () => {
    fake.script({ kind: 'answer', content: '{"topic":"Products","confidence":0.9,"reason":"asks about bread"}' });
    expect(await runNode(topics, {}, { text: 'Is the rye bread vegan?', topics: BAKERY, method: 'provider', model: 'fake-mini' }, withProvider())).toMatchObject({
      pass: { guardrail: { passed: true, method: 'provider', topic: 'Products', usage: { totalTokens: expect.any(Number) } } },
    });
    const sent = fake.chatRequests()[0]!;
    expect(sent.model).toBe('fake-mini');
    expect(sent.response_format?.json_schema?.schema?.properties?.topic?.enum).toEqual(['Orders and delivery', 'Opening hours and locations', 'Products', 'none']);
    expect(String(sent.messages![1]!.content)).toBe('<message>\nIs the rye bread vegan?\n</message>');
    fake.script({ kind: 'answer', content: '{"topic":"none","confidence":0.8,"reason":"politics"}' });
    expect(await runNode(topics, {}, { text: 'Who should I vote for?', topics: BAKERY, method: 'provider' }, withProvider())).toMatchObject({
      fail: { guardrail: { passed: false, findings: [{ rule: 'off-topic', score: 0.8, reason: 'politics', method: 'provider' }] } },
    });
  });

  it('fails closed when the provider is down, and needs a credential for the provider method', async () => {
    fake.script({ kind: 'status', status: 503 });
    await expect(runNode(topics, {}, { text: 'hi', topics: BAKERY, method: 'provider' }, withProvider())).rejects.toMatchObject({ code: 'topics_failed', message: expect.stringMatching(/^the topic classifier failed: /) });
    await expect(runNode(topics, {}, { text: 'hi', topics: BAKERY, method: 'provider' })).rejects.toMatchObject({ code: 'credential_missing' });
  });

  it('refuses an empty topic list and a topic without a description when the flow is saved', () => {
    expect(topics.props.safeParse({ text: 'x', topics: [] }).error?.issues[0]).toMatchObject({ path: ['topics'], message: 'add at least one topic' });
    expect(topics.props.safeParse({ text: 'x', topics: [{ name: 'A', description: ' ' }] }).error?.issues[0]?.path).toEqual(['topics', 0, 'description']);
  });
});
