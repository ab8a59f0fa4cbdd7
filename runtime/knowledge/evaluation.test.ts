import { beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../testing/config.js';
import { evalDocuments, evalQuestions } from './testing/eval-set.js';
import { startKnowledgeStack, waitForIngestion, WS, type KnowledgeStack } from './testing/stack.js';

/**
 * Retrieval quality with the local embedder: recall@5 (the expected document among the first five
 * chunks) for vector-only, full-text-only and hybrid search over the evaluation set. Printed, and
 * held to floors well under what was measured so the test catches a broken ranking, not noise.
 */
describe('retrieval evaluation (local embedder)', () => {
  let stack: KnowledgeStack;
  let kbId: string;
  beforeAll(async () => {
    stack = await startKnowledgeStack(testConfig());
    // Small chunks, so each document is several chunks and the ranking has something to do.
    const kb = await stack.service.create(WS, { name: 'Outdoor shop', chunkSize: 160, chunkOverlap: 20 });
    kbId = kb.id;
    for (const doc of evalDocuments) await stack.service.addSource(WS, kb.id, { file: { name: doc.name, data: Buffer.from(doc.text) } });
    const sources = await waitForIngestion(stack.service, kb.id);
    expect(sources.every((s) => s.status === 'ready')).toBe(true);
  }, 180_000);

  it('reports recall@5 for vector, full-text and hybrid search', async () => {
    const recall: Record<'vector' | 'fulltext' | 'hybrid', number> = { vector: 0, fulltext: 0, hybrid: 0 };
    /** The expected document first: stricter, printed alongside. */
    const top1: Record<'vector' | 'fulltext' | 'hybrid', number> = { vector: 0, fulltext: 0, hybrid: 0 };
    const misses: string[] = [];
    for (const mode of ['vector', 'fulltext', 'hybrid'] as const) {
      let found = 0;
      let first = 0;
      for (const q of evalQuestions) {
        const { hits } = await stack.service.search(WS, kbId, q.question, { k: 5, mode });
        if (hits[0]?.citation.sourceName === q.expected) first++;
        if (hits.some((h) => h.citation.sourceName === q.expected)) found++;
        else misses.push(`${mode}: ${q.question}`);
      }
      recall[mode] = found / evalQuestions.length;
      top1[mode] = first / evalQuestions.length;
    }
    const chunks = (await stack.service.get(WS, kbId)).chunkCount;
    console.log(`recall@5 over ${evalQuestions.length} questions, ${evalDocuments.length} documents, ${chunks} chunks: `
      + `vector ${recall.vector.toFixed(2)}, full-text ${recall.fulltext.toFixed(2)}, hybrid ${recall.hybrid.toFixed(2)}; `
      + `recall@1: vector ${top1.vector.toFixed(2)}, full-text ${top1.fulltext.toFixed(2)}, hybrid ${top1.hybrid.toFixed(2)}\nmisses:\n  ${misses.join('\n  ')}`);
    expect(recall.vector).toBeGreaterThanOrEqual(0.7);
    expect(recall.fulltext).toBeGreaterThanOrEqual(0.4);
    expect(recall.hybrid).toBeGreaterThanOrEqual(0.8);
    expect(recall.hybrid).toBeGreaterThanOrEqual(Math.min(recall.vector, recall.fulltext));
  }, 120_000);
});
