import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NonRetryableError, type Json } from '@switchyard/sdk';
import { createHttpClient } from '../../../runtime/net/index.js';
import { createTestContext, runNode } from '../../testing.js';
import { providerCredentials } from '../_shared/node-props.js';
import { startAiFake, type AiFake } from '../fake.js';
import chat from './index.js';

let fake: AiFake;
const http = createHttpClient({ allow: ['127.0.0.1'] });
beforeAll(async () => { fake = await startAiFake(); });
afterAll(async () => { await fake.close(); http.close(); });
beforeEach(() => fake.reset());

const ctx = () => createTestContext<typeof providerCredentials>({
  http, credentials: { provider: { id: 'c1', kind: 'ai-provider', fields: { preset: 'openai', baseUrl: fake.url, apiKey: fake.apiKey! } } },
});
const schema = {
  type: 'object',
  properties: { intent: { type: 'string', enum: ['refund', 'question'] }, orderId: { type: 'integer' } },
  required: ['intent', 'orderId'],
};
const props = { chain: [{ credential: 'provider' as const, model: 'fake-chat', timeoutMs: 5000 }], prompt: 'I want my money back for order 42', output: 'json' as const, jsonSchema: schema };

async function main(result: Promise<unknown>): Promise<Record<string, Json>> {
  const value = await result;
  const out: Record<string, Json> = JSON.parse(JSON.stringify((value as { main: Json }).main));
  return out;
}

describe('ai.chat structured output', () => {
  it('sends the schema as response_format json_schema and returns the checked object', async () => {
    fake.script({ kind: 'answer', content: '{"intent":"refund","orderId":42}' });
    const out = await main(runNode(chat, {}, props, ctx()));
    expect(out.json).toEqual({ intent: 'refund', orderId: 42 });
    expect(out.repaired).toBe(false);
    const sent = fake.chatRequests()[0]!;
    expect(sent.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'output', schema, strict: false } });
  });

  it('repairs once: shows the model its answer and the problem, then takes the corrected JSON', async () => {
    fake.script(
      { kind: 'answer', content: 'Sure! The intent is refund for order 42.' },
      { kind: 'answer', content: '```json\n{"intent":"refund","orderId":42}\n```' },
    );
    const out = await main(runNode(chat, {}, props, ctx()));
    expect(out.json).toEqual({ intent: 'refund', orderId: 42 });
    expect(out.repaired).toBe(true);
    expect((out.attempts as Json[]).length).toBe(2);
    const repair = fake.chatRequests()[1]!.messages!;
    expect(repair.at(-2)).toEqual({ role: 'assistant', content: 'Sure! The intent is refund for order 42.' });
    expect(String(repair.at(-1)!.content)).toContain('not JSON');
  });

  it('repairs an answer that is JSON but not the schema', async () => {
    fake.script({ kind: 'answer', content: '{"intent":"cancel","orderId":"42"}' }, { kind: 'answer', content: '{"intent":"refund","orderId":42}' });
    const out = await main(runNode(chat, {}, props, ctx()));
    expect(out.repaired).toBe(true);
    expect(String(fake.chatRequests()[1]!.messages!.at(-1)!.content)).toContain('does not match the schema');
  });

  it('fails the step with the raw text when the repair is wrong too', async () => {
    fake.script({ kind: 'answer', content: 'I cannot do JSON' }, { kind: 'answer', content: 'Still no JSON, sorry' });
    const error = await runNode(chat, {}, props, ctx()).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as Error).message).toContain('Raw answer: Still no JSON, sorry');
    expect((error as NonRetryableError).details).toMatchObject({ raw: 'Still no JSON, sorry', firstRaw: 'I cannot do JSON', usage: { totalTokens: expect.any(Number) } });
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it('puts the schema in the prompt, without response_format, for providers that lack it', async () => {
    fake.script({ kind: 'answer', content: '{"intent":"question","orderId":7}' });
    const out = await main(runNode(chat, {}, { ...props, structuredMode: 'prompt' }, ctx()));
    expect(out.json).toEqual({ intent: 'question', orderId: 7 });
    const sent = fake.chatRequests()[0]!;
    expect(sent.response_format).toBeUndefined();
    expect(String(sent.messages!.at(-1)!.content)).toContain('"orderId"');
  });

  it('refuses a schema it cannot check, naming the field', async () => {
    const error = await runNode(chat, {}, { ...props, jsonSchema: { type: 'wat' } }, ctx()).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as Error).message).toContain('"JSON Schema"');
    expect(fake.chatRequests()).toHaveLength(0);
  });
});
