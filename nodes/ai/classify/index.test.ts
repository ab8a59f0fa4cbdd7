import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outputPorts } from '@switchyard/sdk';
import { createHttpClient } from '../../../runtime/net/index.js';
import { createTestContext, runNode } from '../../testing.js';
import { providerCredentials } from '../_shared/node-props.js';
import { startAiFake, type AiFake } from '../fake.js';
import classify from './index.js';

let fake: AiFake;
const http = createHttpClient({ allow: ['127.0.0.1'] });
beforeAll(async () => { fake = await startAiFake(); });
afterAll(async () => { await fake.close(); http.close(); });
beforeEach(() => fake.reset());

const ctx = () => createTestContext<typeof providerCredentials>({
  http, credentials: { provider: { id: 'c1', kind: 'ai-provider', fields: { preset: 'groq', baseUrl: fake.url, apiKey: fake.apiKey! } } },
});
const props = {
  chain: [{ credential: 'provider' as const, model: 'fake-chat', timeoutMs: 5000 }],
  text: 'my parcel never arrived, I want my money back',
  choices: [
    { id: 'refund', description: 'Asks for money back' },
    { id: 'sales-lead', title: 'Sales lead', description: 'Wants to buy' },
  ],
  threshold: 0.6,
};

describe('ai.classify', () => {
  it('has one output per label, then other', () => {
    expect(outputPorts(classify, classify.props.parse(props))).toEqual(['refund', 'sales-lead', 'other']);
    expect(outputPorts(classify, classify.props.parse({}))).toEqual(['question', 'complaint', 'other']);
  });

  it('refuses reserved and repeated labels', () => {
    expect(classify.props.safeParse({ ...props, choices: [{ id: 'other', description: 'x' }] }).success).toBe(false);
    expect(classify.props.safeParse({ ...props, choices: [{ id: 'a', description: 'x' }, { id: 'a', description: 'y' }] }).success).toBe(false);
  });

  it('sends the message on the label\'s output with the confidence, the input kept', async () => {
    fake.script({ kind: 'answer', content: '{"label":"refund","confidence":0.92,"reason":"wants money back"}', noLogprobs: true });
    const result = await runNode(classify, { text: 'my parcel…', contactId: 'c-9' }, props, ctx());
    expect(Object.keys(result)).toEqual(['refund']);
    expect((result as Record<string, unknown>).refund).toMatchObject({ contactId: 'c-9', classification: { label: 'refund', confidence: 0.92, reason: 'wants money back', belowThreshold: false } });
    const sent = fake.chatRequests()[0]!;
    expect(String(sent.messages![0]!.content)).toContain('- sales-lead: Wants to buy');
    expect(sent.response_format?.json_schema?.schema?.properties?.label?.enum).toEqual(['refund', 'sales-lead', 'other']);
  });

  it('sends it to other when the confidence is below the threshold', async () => {
    fake.script({ kind: 'answer', content: '{"label":"refund","confidence":0.4}', noLogprobs: true });
    const result = await runNode(classify, {}, props, ctx());
    expect(Object.keys(result)).toEqual(['other']);
    expect((result as Record<string, unknown>).other).toMatchObject({ classification: { label: 'other', modelLabel: 'refund', confidence: 0.4, belowThreshold: true } });
  });

  it('sends it to other when the model says other, and takes the threshold inclusively', async () => {
    fake.script({ kind: 'answer', content: '{"label":"other","confidence":0.99}' }, { kind: 'answer', content: '{"label":"sales-lead","confidence":0.6}', noLogprobs: true });
    expect(Object.keys(await runNode(classify, {}, props, ctx()))).toEqual(['other']);
    expect(Object.keys(await runNode(classify, {}, props, ctx()))).toEqual(['sales-lead']);
  });

  it('repairs a label that is not one of the choices', async () => {
    fake.script({ kind: 'answer', content: '{"label":"billing","confidence":0.9}' }, { kind: 'answer', content: '{"label":"refund","confidence":0.9}' });
    expect(Object.keys(await runNode(classify, {}, props, ctx()))).toEqual(['refund']);
    expect(fake.chatRequests()).toHaveLength(2);
  });
});
