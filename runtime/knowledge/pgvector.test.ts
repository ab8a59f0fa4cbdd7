import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../testing/config.js';
import { localEmbedder } from './embedders.js';
import { makePdf } from './testing/documents.js';
import { startKnowledgeStack, waitForIngestion, WS, type KnowledgeStack } from './testing/stack.js';

/** The embedded default (PGlite) loads pgvector: each base gets an HNSW index and searches walk it. */
describe('knowledge bases on PGlite with pgvector', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-knowledge-'));
  let stack: KnowledgeStack;
  beforeAll(async () => {
    stack = await startKnowledgeStack(testConfig({ databaseUrl: undefined, dataDir }));
  }, 60_000);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('uses an HNSW index per knowledge base and finds the answer through it', async () => {
    expect(await stack.service.vectorSearch()).toEqual({ kind: 'hnsw' });
    const kb = await stack.service.create(WS, { name: 'Clinic' });
    const other = await stack.service.create(WS, { name: 'Garage' });
    await stack.service.addSource(WS, kb.id, { faq: [
      { question: 'When is the clinic open?', answer: 'Weekdays from 8:00 to 18:00, Saturdays until noon.' },
      { question: 'Do I need an appointment?', answer: 'Yes, book online or call reception.' },
      { question: 'Can I park at the clinic?', answer: 'There are ten free parking spaces behind the building.' },
    ] });
    await stack.service.addSource(WS, other.id, { text: 'We change tyres and oil on weekdays.' });
    // An upload's bytes come back from PGlite as a Uint8Array, not a Buffer: the PDF must still read.
    await stack.service.addSource(WS, kb.id, { file: { name: 'clinic.pdf', data: await makePdf(['Vaccinations are given on Tuesday afternoons.']) } });
    expect((await waitForIngestion(stack.service, kb.id)).map((s) => [s.name, s.status, s.error])).toEqual([['clinic.pdf', 'ready', null], ['FAQ (3 questions)', 'ready', null]]);
    await waitForIngestion(stack.service, other.id);

    const { knex } = stack.db;
    const { rows: indexes } = await knex.raw("select indexname, indexdef from pg_indexes where tablename = 'knowledge_chunks' and indexdef like '%hnsw%'");
    expect(indexes.map((i: { indexname: string }) => i.indexname).sort()).toEqual([stack.index.indexName(kb.id), stack.index.indexName(other.id)].sort());
    expect(indexes[0].indexdef).toContain('vector_cosine_ops');

    // The planner takes the index for the search's query shape, the question bound once in a CTE
    // (forced: three rows would be scanned otherwise).
    await knex.raw('set enable_seqscan = off');
    const { rows: plan } = await knex.raw(
      `explain with question as (select (?::real[])::vector(512) as v)
       select id from knowledge_chunks where knowledge_base_id = ? and embedding is not null order by (embedding::vector(512)) <=> (select v from question) limit 5`,
      [`{${new Array(512).fill(0.01).join(',')}}`, kb.id],
    );
    await knex.raw('reset enable_seqscan');
    expect(plan.map((r: Record<string, string>) => Object.values(r)[0]).join('\n')).toContain(stack.index.indexName(kb.id));

    const result = await stack.service.search(WS, kb.id, 'where can I leave my car?', { k: 2, mode: 'vector' });
    expect(result.vectorSearch).toBe('hnsw');
    expect(result.hits[0]!.text).toContain('parking');
    // Bases never see each other's chunks.
    const hybrid = await stack.service.search(WS, kb.id, 'weekdays', { k: 10 });
    expect(hybrid.hits.length).toBeGreaterThan(0);
    expect(hybrid.hits.every((h) => h.citation.sourceName !== 'Pasted text')).toBe(true);
    await stack.service.remove(WS, other.id);
    const { rows: left } = await knex.raw("select indexname from pg_indexes where tablename = 'knowledge_chunks' and indexdef like '%hnsw%'");
    expect(left.map((i: { indexname: string }) => i.indexname)).toEqual([stack.index.indexName(kb.id)]);
  }, 120_000);

  it("gives each hit its cosine similarity through pgvector's operator, and keeps the tsvector in the row", async () => {
    const kb = await stack.service.create(WS, { name: 'Camping' });
    await stack.service.addSource(WS, kb.id, { faq: [
      { question: 'Can I return a tent?', answer: 'Unused tents can be returned within 30 days with the receipt.' },
      { question: 'Do you repair stoves?', answer: 'Our workshop repairs camping stoves in about a week.' },
    ] });
    await waitForIngestion(stack.service, kb.id);
    const question = 'how do I send back a tent';
    const { hits } = await stack.service.search(WS, kb.id, question, { k: 5, mode: 'hybrid', minScore: 0.01 });
    expect(hits.length).toBe(2);
    // The same cosine the exact path computes: the dot product of the two unit vectors.
    const [asked] = await localEmbedder(stack.local).embed([question]);
    const { knex } = stack.db;
    for (const hit of hits) {
      const { rows } = await knex.raw('select embedding from knowledge_chunks where id = ?', [hit.chunkId]);
      const stored: number[] = rows[0].embedding;
      const dot = stored.reduce((sum, x, i) => sum + x * asked![i]!, 0);
      expect(hit.similarity).toBeCloseTo(dot, 5);
    }
    expect(hits[0]!.text).toContain('returned');
    // Storage `main` (migration 017): full-text matching reads the tsvector without the TOAST table.
    const { rows: storage } = await knex.raw("select attstorage from pg_attribute where attrelid = 'knowledge_chunks'::regclass and attname = 'tsv'");
    expect(storage[0].attstorage).toBe('m');
  }, 120_000);
});
