// Knowledge bases (issue 13's figures): local embedding throughput; hybrid search p50 at 10,000
// chunks (100,000 with KNOWLEDGE_BENCH_LARGE=1) with pgvector's HNSW index (embedded PGlite) and
// with exact search on Postgres 15 (no pgvector); ingesting a generated 100-page PDF through the
// real queue with local embeddings: time and peak RSS of this process (the worker) and of the
// model's own process. Measures and prints; not a pass/fail test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import { loadConfig } from '../runtime/config/env.js';
import { openDatabase } from '../runtime/db/knex.js';
import { LocalEmbedder } from '../runtime/knowledge/local-embedder.js';
import { localEmbedder } from '../runtime/knowledge/embedders.js';
import { searchChunks } from '../runtime/knowledge/search.js';
import { VectorIndex } from '../runtime/knowledge/vector-index.js';
import { KnowledgeQueue, KnowledgeWorker } from '../runtime/knowledge/queue.js';
import { createKnowledgeService } from '../runtime/knowledge/service.js';
import { makePdf } from '../runtime/knowledge/testing/documents.js';
import { createHttpClient } from '../runtime/net/index.js';
import { createLogger } from '../runtime/observability/logger.js';
import { createRedisConnection } from '../runtime/redis/index.js';
import { startPostgres, startRedis } from '../runtime/testing/services.js';
import { memory } from './_proc.js';

const SIZES = process.env.KNOWLEDGE_BENCH_LARGE === '1' ? [10_000, 100_000] : [10_000];
const WORDS = 'order refund delivery parcel tent stove boots jacket warranty repair store opening hours member points voucher payment card invoice size exchange return label tracking carrier customs rope harness helmet lamp battery bottle filter map compass glove sock'.split(' ');
const QUESTIONS = ['How long does a refund take?', 'Can I exchange boots for a bigger size?', 'When is the Utrecht store open?', 'Is the stove covered by warranty?', 'How do I track my parcel?'];
const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function rng(seed: number) {
  return () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function sentence(random: () => number, words: number): string {
  return Array.from({ length: words }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
}

/** Synthetic chunks: random unit vectors (the index's work does not depend on their meaning) and word soup for full text. */
async function fill(knex: Knex, kbId: string, count: number): Promise<void> {
  await knex('knowledge_bases').insert({ id: kbId, workspace_id: 'bench', name: `bench ${kbId}`, chunk_size: 1000, chunk_overlap: 200, embedding_model: 'local:universal-sentence-encoder', dimension: 512 });
  await knex('knowledge_sources').insert({ id: `ks_${kbId.slice(3)}`, workspace_id: 'bench', knowledge_base_id: kbId, kind: 'text', name: 'generated', format: 'txt', status: 'ready' });
  const random = rng(count);
  for (let start = 0; start < count; start += 500) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + 500); i++) {
      const v = Array.from({ length: 512 }, () => random() - 0.5);
      const norm = Math.hypot(...v);
      rows.push({ position: i, headings: [], text: sentence(random, 120), embedding: `{${v.map((x) => (x / norm).toFixed(6)).join(',')}}` });
    }
    await knex.raw(
      `insert into knowledge_chunks (knowledge_base_id, source_id, position, headings, text, embedding, embedding_model)
       select ?, ?, v.position, v.headings, v.text, v.embedding, 'local:universal-sentence-encoder' from jsonb_to_recordset(?::jsonb) as v(position int, headings text[], text text, embedding real[])`,
      [kbId, `ks_${kbId.slice(3)}`, JSON.stringify(rows)],
    );
  }
}

async function searchP50(knex: Knex, index: VectorIndex, kbId: string, vectors: Float32Array[]): Promise<number> {
  const target = { id: kbId, model: 'local:universal-sentence-encoder', dimension: 512 };
  const times: number[] = [];
  for (let round = 0; round < 8; round++) {
    for (let q = 0; q < QUESTIONS.length; q++) {
      const started = performance.now();
      await searchChunks(knex, index, target, { query: QUESTIONS[q]!, vector: vectors[q]!, k: 5, minScore: 0, mode: 'hybrid' });
      if (round > 0) times.push(performance.now() - started);
    }
  }
  return p50(times);
}

async function embeddingThroughput(local: LocalEmbedder): Promise<Float32Array[]> {
  const embedder = localEmbedder(local);
  const random = rng(7);
  await embedder.embed(['warm up']);
  const chunks = Array.from({ length: 128 }, () => sentence(random, 150).slice(0, 1000));
  let started = performance.now();
  for (let i = 0; i < chunks.length; i += embedder.batchSize) await embedder.embed(chunks.slice(i, i + embedder.batchSize));
  const long = chunks.length / ((performance.now() - started) / 1000);
  const questions: number[] = [];
  for (let i = 0; i < 20; i++) {
    started = performance.now();
    await embedder.embed([QUESTIONS[i % QUESTIONS.length]!]);
    questions.push(performance.now() - started);
  }
  console.log(`local embedding: ${long.toFixed(1)} chunks/s (1,000-character chunks, batches of ${embedder.batchSize}); one question p50 ${p50(questions).toFixed(1)} ms`);
  return embedder.embed(QUESTIONS);
}

async function searchBench(label: string, knex: Knex, vectors: Float32Array[]): Promise<void> {
  const index = new VectorIndex(knex);
  const kind = (await index.status()).kind;
  for (const size of SIZES) {
    const kbId = `kb_${(size + (kind === 'hnsw' ? 1 : 2)).toString(16).padStart(16, '0')}`;
    let started = performance.now();
    await fill(knex, kbId, size);
    const fillS = (performance.now() - started) / 1000;
    started = performance.now();
    await index.ensure(kbId, 512);
    const indexS = (performance.now() - started) / 1000;
    await knex.raw('analyze knowledge_chunks');
    const ms = await searchP50(knex, index, kbId, vectors);
    console.log(`${label} (${kind}): ${size.toLocaleString('en')} chunks — hybrid search p50 ${ms.toFixed(1)} ms (query embedded beforehand); insert ${fillS.toFixed(1)} s${kind === 'hnsw' ? `, HNSW build ${indexS.toFixed(1)} s` : ''}`);
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
  const pages = Array.from({ length: 100 }, (_, i) => `Page ${i + 1}. ${Array.from({ length: 18 }, () => `${sentence(random, 20)}.`).join(' ')}`);
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
