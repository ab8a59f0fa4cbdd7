import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../runtime/net/index.js';
import { createTestContext, runNode } from '../../testing.js';
import { providerCredentials } from '../_shared/node-props.js';
import { startAiFake, type AiFake } from '../fake.js';
import summarize from '../summarize/index.js';
import extract, { extractionSchema } from './index.js';

let fake: AiFake;
const http = createHttpClient({ allow: ['127.0.0.1'] });
beforeAll(async () => { fake = await startAiFake(); });
afterAll(async () => { await fake.close(); http.close(); });
beforeEach(() => fake.reset());

const ctx = () => createTestContext<typeof providerCredentials>({
  http, credentials: { provider: { id: 'c1', kind: 'ai-provider', fields: { preset: 'together', baseUrl: fake.url, apiKey: fake.apiKey! } } },
});
const chain = [{ credential: 'provider' as const, model: 'fake-chat', timeoutMs: 5000 }];
const fields = [
  { name: 'orderId', type: 'integer' as const, description: 'The order number', required: true },
  { name: 'email', type: 'email' as const },
  { name: 'items', type: 'string[]' as const },
];

describe('ai.extract', () => {
  it('builds a typed schema: required fields as typed, others nullable', () => {
    const schema = extractionSchema(extract.props.parse({ fields }).fields);
    expect(schema).toMatchObject({ required: ['orderId', 'email', 'items'], additionalProperties: false });
    expect(schema.properties).toMatchObject({ orderId: { type: 'integer', description: 'The order number' }, email: { anyOf: [{ type: 'string', format: 'email' }, { type: 'null' }] } });
  });

  it('returns the typed object', async () => {
    fake.script({ kind: 'answer', content: '{"orderId":42,"email":"ann@example.com","items":["mug"]}' });
    const result = await runNode(extract, {}, { chain, text: 'Order 42 (a mug), write to ann@example.com', fields }, ctx());
    expect(result).toMatchObject({ main: { data: { orderId: 42, email: 'ann@example.com', items: ['mug'] }, repaired: false } });
    expect(fake.chatRequests()[0]!.temperature).toBe(0);
  });

  it('repairs a wrongly typed value, then fails with the raw text', async () => {
    fake.script({ kind: 'answer', content: '{"orderId":"forty-two","email":null,"items":null}' }, { kind: 'answer', content: '{"orderId":42,"email":"not an email","items":null}' });
    const error = await runNode(extract, {}, { chain, text: 't', fields }, ctx()).then(() => undefined, (e: unknown) => e);
    expect((error as Error).message).toContain('email');
    expect((error as Error).message).toContain('Raw answer: {"orderId":42,"email":"not an email","items":null}');
  });
});

describe('ai.summarize', () => {
  it('asks for the style and length and returns the summary', async () => {
    fake.script({ kind: 'answer', content: '  Ann wants a refund for order 42.  ' });
    const result = await runNode(summarize, {}, { chain, text: 'long thread…', style: 'tldr', maxWords: 20, language: 'English' }, ctx());
    expect(result).toMatchObject({ main: { summary: 'Ann wants a refund for order 42.', model: 'fake-chat', provider: 'together' } });
    const system = String(fake.chatRequests()[0]!.messages![0]!.content);
    expect(system).toContain('a single sentence');
    expect(system).toContain('at most 20 words');
    expect(system).toContain('Write in English.');
  });
});
