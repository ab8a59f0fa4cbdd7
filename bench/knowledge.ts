// Knowledge bases (issue 13's figures): local embedding throughput; hybrid search p50/p95 at 10,000
// chunks (and 100,000 with KNOWLEDGE_BENCH_LARGE=1) with pgvector's HNSW index (embedded
// PGlite) and with exact search on Postgres 15 (no pgvector), each list alone beside it; ingesting a
// generated 100-page PDF through the real queue with local embeddings: time and peak RSS of this
// process (the worker) and of the model's own process. The searched chunks are synthetic
// (bench/_corpus.ts: Zipf-distributed words, vectors from real embeddings perturbed), since
// embedding 100,000 chunks locally would take hours. Measures and prints; not a pass/fail test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import { loadConfig } from '../runtime/config/env.js';
import { openDatabase } from '../runtime/db/knex.js';
import { LocalEmbedder } from '../runtime/knowledge/local-embedder.js';
import { localEmbedder } from '../runtime/knowledge/embedders.js';
import { orQuery, searchChunks } from '../runtime/knowledge/search.js';
import { VectorIndex } from '../runtime/knowledge/vector-index.js';
import { KnowledgeQueue, KnowledgeWorker } from '../runtime/knowledge/queue.js';
import { createKnowledgeService } from '../runtime/knowledge/service.js';
import { makePdf } from '../runtime/knowledge/testing/documents.js';
import { createHttpClient } from '../runtime/net/index.js';
import { createLogger } from '../runtime/observability/logger.js';
import { createRedisConnection } from '../runtime/redis/index.js';
import { startPostgres, startRedis } from '../runtime/testing/services.js';
import { fill, rng, seedSentences, textGenerator } from './_corpus.js';
import { memory } from './_proc.js';

// 100,000 chunks take ~10 minutes here (PGlite's HNSW build alone ~6), so only on request.
const SIZES = process.env.KNOWLEDGE_BENCH_LARGE === '1' ? [10_000, 100_000] : [10_000];
const QUESTIONS = ['How long does a refund take?', 'Can I exchange boots for a bigger size?', 'When is the Utrecht store open?', 'Is the stove covered by warranty?', 'How do I track my parcel?'];
const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

type Mode = 'hybrid' | 'vector' | 'fulltext';

/** Search times of each question, `rounds` times after one warm-up search; the query vectors are made beforehand. */
async function timeSearch(knex: Knex, index: VectorIndex, kbId: string, vectors: Float32Array[], mode: Mode, rounds: number): Promise<number[]> {
  const target = { id: kbId, model: 'local:universal-sentence-encoder', dimension: 512 };
  const search = (q: number) => searchChunks(knex, index, target, { query: QUESTIONS[q]!, vector: vectors[q]!, k: 5, minScore: 0.3, mode });
  await search(0);
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (let q = 0; q < QUESTIONS.length; q++) {
      const started = performance.now();
      await search(q);
      times.push(performance.now() - started);
    }
  }
  return times;
}

async function embeddingThroughput(local: LocalEmbedder): Promise<{ questions: Float32Array[]; seeds: Float32Array[] }> {
  const embedder = localEmbedder(local);
  const text = textGenerator(7);
  await embedder.embed(['warm up']);
  const chunks = Array.from({ length: 128 }, () => text().slice(0, 1000));
  let started = performance.now();
  for (let i = 0; i < chunks.length; i += embedder.batchSize) await embedder.embed(chunks.slice(i, i + embedder.batchSize));
  const long = chunks.length / ((performance.now() - started) / 1000);
  const questions: number[] = [];
  for (let i = 0; i < 20; i++) {
    started = performance.now();
    await embedder.embed([QUESTIONS[i % QUESTIONS.length]!]);
    questions.push(performance.now() - started);
  }
  console.log(`local embedding: ${long.toFixed(1)} chunks/s (1,000-character chunks, batches of ${embedder.batchSize}); one question p50 ${ms(pct(questions, 0.5))} `
    + '(not part of the search figures below)');
  const sentences = seedSentences();
  const seeds: Float32Array[] = [];
  for (let i = 0; i < sentences.length; i += embedder.batchSize) seeds.push(...await embedder.embed(sentences.slice(i, i + embedder.batchSize)));
  return { questions: await embedder.embed(QUESTIONS), seeds };
}

/** How many chunks the questions' words match (any word / every word), to show what the full-text list ranks. */
async function matches(knex: Knex, kbId: string): Promise<string> {
  const counts = [];
  for (const q of QUESTIONS) {
    const words = orQuery(q)!;
    const { rows } = await knex.raw(
      `select count(*) filter (where tsv @@ to_tsquery('english', ?))::int as any, count(*) filter (where tsv @@ to_tsquery('english', ?))::int as every
       from knowledge_chunks where knowledge_base_id = ?`, [words, words.replaceAll('|', '&'), kbId]);
    counts.push(`${rows[0].any}/${rows[0].every}`);
  }
  return counts.join(', ');
}

async function searchBench(label: string, knex: Knex, vectors: { questions: Float32Array[]; seeds: Float32Array[] }): Promise<void> {
  const index = new VectorIndex(knex);
  const kind = (await index.status()).kind;
  for (const size of SIZES) {
    const kbId = `kb_${(size + (kind === 'hnsw' ? 1 : 2)).toString(16).padStart(16, '0')}`;
    let started = performance.now();
    await fill(knex, kbId, size, vectors.seeds);
    const fillS = (performance.now() - started) / 1000;
    started = performance.now();
    await index.ensure(kbId, 512);
    const indexS = (performance.now() - started) / 1000;
    await knex.raw('analyze knowledge_chunks');
    // Exact search reads every vector per query: fewer rounds at 100,000.
    const rounds = kind === 'exact' && size > 10_000 ? 1 : 8;
    const hybrid = await timeSearch(knex, index, kbId, vectors.questions, 'hybrid', rounds);
    const vector = await timeSearch(knex, index, kbId, vectors.questions, 'vector', rounds);
    const fulltext = await timeSearch(knex, index, kbId, vectors.questions, 'fulltext', rounds);
    console.log(`${label} (${kind}): ${size.toLocaleString('en')} chunks — hybrid search p50 ${ms(pct(hybrid, 0.5))}, p95 ${ms(pct(hybrid, 0.95))} `
      + `(vector only p50 ${ms(pct(vector, 0.5))}, full text only p50 ${ms(pct(fulltext, 0.5))}; ${hybrid.length} searches each, k = 5, minimum similarity 0.3); `
      + `insert ${fillS.toFixed(1)} s${kind === 'hnsw' ? `, HNSW build ${indexS.toFixed(1)} s` : ''}; chunks matching any/every word of each question: ${await matches(knex, kbId)}`);
  }
}

async function ingestPdf(redisUrl: string, databaseUrl: string, local: LocalEmbedder): Promise<void> {
  const config = { ...loadConfig({}), databaseUrl, databaseSchema: 'bench_ingest', redisPrefix: 'bench-knowledge', logLevel: 'silent' as const };
  const db = await openDatabase(config);
  const connection = createRedisConnection(redisUrl);
  const http = createHttpClient();
  const index = new VectorIndex(db.knex);
  const queue = new KnowledgeQueue(connection, config.redisPrefix);
  const deps = { knex: db.knex, index, local, http, log: createLogger(config) };
  const service = createKnowledgeService({ ...deps, queue });
  const worker = new KnowledgeWorker({ ...deps, maxFileBytes: service.maxFileBytes, connection, prefix: config.redisPrefix, queue });
  await worker.start();
  const random = rng(100);
  const words = 'order refund delivery parcel tent stove boots jacket warranty repair store opening hours member points voucher payment card invoice size exchange return label tracking carrier customs rope harness helmet lamp battery bottle filter map compass glove sock'.split(' ');
  const sentence = () => Array.from({ length: 20 }, () => words[Math.floor(random() * words.length)]).join(' ');
  const pages = Array.from({ length: 100 }, (_, i) => `Page ${i + 1}. ${Array.from({ length: 18 }, () => `${sentence()}.`).join(' ')}`);
  const pdf = await makePdf(pages);
  const kb = await service.create('default', { name: 'Manual' });
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const source = await service.addSource('default', kb.id, { file: { name: 'manual.pdf', data: pdf } });
  let peakWorker = rssBefore;
  let peakModel = 0;
  for (;;) {
    peakWorker = Math.max(peakWorker, process.memoryUsage().rss);
    if (local.pid) peakModel = Math.max(peakModel, memory(local.pid)?.rss ?? 0);
    const [now] = (await service.listSources('default', kb.id)).filter((s) => s.id === source.id);
    if (now!.status === 'ready' || now!.status === 'failed') {
      const seconds = (performance.now() - started) / 1000;
      console.log(`100-page PDF (${mb(pdf.length)}, ${now!.chunkCount} chunks): ${now!.status} in ${seconds.toFixed(1)} s; worker RSS ${mb(rssBefore)} before, peak ${mb(peakWorker)} `
        + `(sampled every 100 ms; this process also generated the PDF); model process peak ${mb(peakModel)}`);
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await worker.close();
  await queue.close();
  http.close();
  connection.disconnect();
  await db.close();
}

const local = new LocalEmbedder();
const redis = await startRedis();
const postgres = await startPostgres();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-bench-knowledge-'));
try {
  const vectors = await embeddingThroughput(local);
  // The PDF first: its RSS figures should not carry the PGlite benchmark's heap.
  await ingestPdf(redis.url, postgres.url, local);
  console.log(`searched chunks are synthetic: 150 Zipf-distributed words each (English function words, the evaluation documents' vocabulary, a made-up tail); `
    + `vectors are ${vectors.seeds.length} real embeddings of the evaluation documents' sentences mixed in pairs with small random perturbations, normalised`);
  const pglite = await openDatabase({ ...loadConfig({}), databaseUrl: undefined, dataDir });
  await searchBench('PGlite + pgvector', pglite.knex, vectors);
  await pglite.close();
  const pg = await openDatabase({ ...loadConfig({}), databaseUrl: postgres.url, databaseSchema: 'bench_search' });
  await searchBench('Postgres 15', pg.knex, vectors);
  await pg.close();
} finally {
  await local.close();
  await postgres.stop();
  await redis.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
