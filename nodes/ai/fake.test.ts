import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { createHttpClient } from '../../runtime/net/index.js';
import { embedTexts } from './_shared/embeddings.js';
import { fakeEmbedding, startAiFake, type AiFake } from './fake.js';

/** The fake as other families use it: through the official SDK, with the SDK's defaults. */
let fake: AiFake;
let client: OpenAI;
const http = createHttpClient({ allow: ['127.0.0.1'] });
beforeAll(async () => {
  fake = await startAiFake();
  client = new OpenAI({ baseURL: fake.url, apiKey: fake.apiKey!, maxRetries: 0 });
});
afterAll(async () => { await fake.close(); http.close(); });

describe('the OpenAI-compatible fake', () => {
  it('answers embeddings in base64 when the SDK asks (its default), decoding to the same vectors', async () => {
    const result = await client.embeddings.create({ model: 'fake-embed', input: ['refund policy', 'opening hours'] });
    expect(fake.requests.at(-1)!.body!.encoding_format).toBe('base64');
    expect(result.data[0]!.embedding).toHaveLength(256);
    expect(result.data[0]!.embedding[0]).toBeCloseTo(fakeEmbedding('refund policy', 256)[0]!, 6);
    const { vectors } = await embedTexts({ preset: 'custom', baseUrl: fake.url, apiKey: fake.apiKey! }, 'fake-embed', ['refund policy'], { http, dimensions: 64 });
    expect(vectors[0]).toHaveLength(64);
  });

  it('streams a chat answer in several chunks with a usage chunk', async () => {
    fake.script({ kind: 'answer', content: 'Our shop opens at nine.' });
    const stream = await client.chat.completions.create({ model: 'fake-chat', messages: [{ role: 'user', content: 'hours?' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let chunks = 0;
    let usage: unknown;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Our shop opens at nine.');
    expect(chunks).toBeGreaterThan(3);
    expect(usage).toMatchObject({ total_tokens: expect.any(Number) });
  });

  it('answers scripted tool calls', async () => {
    fake.script({ kind: 'answer', toolCalls: [{ name: 'search', arguments: '{"q":"refund"}' }] });
    const result = await client.chat.completions.create({ model: 'fake-chat', messages: [{ role: 'user', content: 'refund?' }], tools: [{ type: 'function', function: { name: 'search', parameters: { type: 'object' } } }] });
    expect(result.choices[0]!.finish_reason).toBe('tool_calls');
    const call = result.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && call.function).toEqual({ name: 'search', arguments: '{"q":"refund"}' });
  });

  it('flags moderation inputs with the listed words', async () => {
    const result = await client.moderations.create({ input: ['you idiot', 'thanks a lot'] });
    expect(result.results.map((r) => r.flagged)).toEqual([true, false]);
  });

  it('returns 429 with retry-after to the SDK', async () => {
    fake.script({ kind: 'status', status: 429, retryAfter: 7 });
    const error = await client.chat.completions.create({ model: 'fake-chat', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('7');
  });
});
