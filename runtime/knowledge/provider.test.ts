import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAiFake, type AiFake } from '../../nodes/ai/fake.js';
import { startTestRuntime, WS } from '../testing/harness.js';
import type { Runtime } from '../index.js';
import { waitForIngestion } from './testing/stack.js';

/** A provider's embedding model per knowledge base (official openai SDK → the fake, base64), and switching models. */
describe('provider embedding models', () => {
  let runtime: Runtime;
  let fake: AiFake;
  let credentialId: string;
  beforeAll(async () => {
    fake = await startAiFake({ embeddingDimensions: 64 });
    runtime = await startTestRuntime();
    credentialId = (await runtime.credentials.create(WS, { name: 'fake embeddings', kind: 'ai-provider', data: { preset: 'custom', baseUrl: fake.url, apiKey: fake.apiKey ?? undefined } })).id;
  }, 60_000);
  afterAll(async () => {
    await fake?.close();
  });

  it('embeds with the provider, records its model and dimension, and re-indexes when the model changes', async () => {
    const kb = await runtime.knowledge.create(WS, { name: 'Provider', embedding: { credentialId, model: 'fake-embed' } });
    expect(kb.embedding).toEqual({ model: 'provider:fake-embed', credentialId, dimension: null });
    await runtime.knowledge.addSource(WS, kb.id, { text: 'Lockers at the station cost 5 EUR a day.' });
    expect((await waitForIngestion(runtime.knowledge, kb.id)).map((s) => [s.status, s.error])).toEqual([['ready', null]]);
    expect((await runtime.knowledge.get(WS, kb.id)).embedding.dimension).toBe(64);
    const embedCalls = fake.requests.filter((r) => r.path === '/embeddings');
    expect(embedCalls.length).toBeGreaterThan(0);
    // The SDK asked for base64 (its default) and the fake answered it.
    expect(embedCalls[0]!.body).toMatchObject({ model: 'fake-embed', encoding_format: 'base64' });
    const hits = (await runtime.knowledge.search(WS, kb.id, 'Lockers at the station cost 5 EUR a day.', { mode: 'vector' })).hits;
    expect(hits[0]!.similarity).toBeGreaterThan(0.99);

    // Back to the local model: old vectors are dropped, every chunk embedded again at 512 dimensions.
    await runtime.knowledge.update(WS, kb.id, { embedding: null });
    expect((await waitForIngestion(runtime.knowledge, kb.id)).map((s) => s.status)).toEqual(['ready']);
    expect((await runtime.knowledge.get(WS, kb.id)).embedding).toEqual({ model: 'local:universal-sentence-encoder', credentialId: null, dimension: 512 });
    const { rows: models } = await runtime.knex.raw('select embedding_model, array_length(embedding, 1) as dims from knowledge_chunks where knowledge_base_id = ? group by 1, 2', [kb.id]);
    expect(models).toEqual([{ embedding_model: 'local:universal-sentence-encoder', dims: 512 }]);
  }, 120_000);

  it('refuses a credential that is not an AI provider, and fails the source when the provider refuses', async () => {
    const bearer = await runtime.credentials.create(WS, { name: 'not ai', kind: 'http-bearer', data: { token: 'x' } });
    await expect(runtime.knowledge.create(WS, { name: 'Wrong kind', embedding: { credentialId: bearer.id, model: 'm' } })).rejects.toMatchObject({ status: 400 });
    const kb = await runtime.knowledge.create(WS, { name: 'Refused', embedding: { credentialId, model: 'fake-embed' } });
    fake.scriptPath('/embeddings', { kind: 'status', status: 400, message: 'model fake-embed is not allowed for this key' });
    await runtime.knowledge.addSource(WS, kb.id, { text: 'Anything at all.' });
    const [source] = await waitForIngestion(runtime.knowledge, kb.id);
    expect(source).toMatchObject({ status: 'failed', error: expect.stringContaining('not allowed for this key') });
    expect(source!.error).not.toContain(fake.apiKey ?? 'no key');
  }, 60_000);
});
