// Synthetic knowledge-base chunks for bench/knowledge.ts: many chunks fast, without embedding each.
// - Text: 150 words a chunk drawn with Zipf's law (word of rank r with weight 1/r, as in English
//   prose) from English function words, then every word of the evaluation set's shop documents
//   (real vocabulary, shuffled into ranks 50–~700), then 20,000 made-up words as the long tail. So
//   a question's ordinary words match a few percent to a few tens of percent of chunks, as in a
//   real corpus; the benchmark prints how many.
// - Vectors: a fixed set of real embeddings (the evaluation documents' sentences, embedded once by
//   the local model), each chunk one of them plus half another plus a little noise, normalised. The
//   index's work depends on how the vectors cluster, not on what they mean.
import type { Knex } from 'knex';
import { evalDocuments } from '../runtime/knowledge/testing/eval-set.js';

const FUNCTION_WORDS = 'the of and to a in is you it that for on are with as be this your at or by from can we an not if will have all our one when which do how what there more their each after about before than within'.split(' ');
const SYLLABLES = 'ka ro mi tel van sor bri den lu pa ges tor in ham vel quo nir ast ber col'.split(' ');

export function rng(seed: number): () => number {
  return () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** Sentences of the evaluation documents: the real texts whose embeddings seed the vectors. */
export function seedSentences(): string[] {
  return evalDocuments.flatMap((d) => d.text.split(/(?<=[.?!])\s+|\n+/)).map((s) => s.replace(/^#\s*/, '').trim()).filter((s) => s.length > 15);
}

/** Vocabulary in rank order and the cumulative Zipf weights to sample it. */
function vocabulary(random: () => number): { words: string[]; cumulative: Float64Array } {
  const shop = [...new Set(evalDocuments.flatMap((d) => d.text.toLowerCase().match(/[a-z]{3,}/g) ?? []))].filter((w) => !FUNCTION_WORDS.includes(w));
  for (let i = shop.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shop[i], shop[j]] = [shop[j]!, shop[i]!];
  }
  const tail = new Set<string>();
  while (tail.size < 20_000) tail.add(Array.from({ length: 2 + Math.floor(random() * 3) }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join(''));
  const words = [...FUNCTION_WORDS, ...shop, ...tail];
  const cumulative = new Float64Array(words.length);
  let sum = 0;
  words.forEach((_, r) => (cumulative[r] = sum += 1 / (r + 1)));
  return { words, cumulative };
}

/** Word soup with Zipf's frequencies, in sentences of 8–20 words. */
export function textGenerator(seed: number): () => string {
  const random = rng(seed);
  const { words, cumulative } = vocabulary(random);
  const total = cumulative[cumulative.length - 1]!;
  const pick = () => {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
  return () => {
    const sentences: string[] = [];
    for (let n = 0; n < 150;) {
      const length = 8 + Math.floor(random() * 13);
      const sentence = Array.from({ length }, pick).join(' ');
      sentences.push(`${sentence[0]!.toUpperCase()}${sentence.slice(1)}.`);
      n += length;
    }
    return sentences.join(' ');
  };
}

/** Inserts `count` chunks into a new base (one source) with 1,000-row statements. */
export async function fill(knex: Knex, kbId: string, count: number, seeds: Float32Array[]): Promise<void> {
  const sourceId = `ks_${kbId.slice(3)}`;
  await knex('knowledge_bases').insert({ id: kbId, workspace_id: 'bench', name: `bench ${kbId}`, chunk_size: 1000, chunk_overlap: 200, embedding_model: 'local:universal-sentence-encoder', dimension: 512 });
  await knex('knowledge_sources').insert({ id: sourceId, workspace_id: 'bench', knowledge_base_id: kbId, kind: 'text', name: 'generated', format: 'txt', status: 'ready' });
  const random = rng(count);
  const text = textGenerator(count);
  const dimension = seeds[0]!.length;
  const v = new Float64Array(dimension);
  for (let start = 0; start < count; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const a = seeds[Math.floor(random() * seeds.length)]!;
      const b = seeds[Math.floor(random() * seeds.length)]!;
      let norm = 0;
      for (let j = 0; j < dimension; j++) {
        v[j] = a[j]! + 0.5 * b[j]! + 0.03 * (random() - 0.5);
        norm += v[j]! * v[j]!;
      }
      norm = Math.sqrt(norm);
      rows.push({ position: i, text: text(), embedding: `{${Array.from(v, (x) => (x / norm).toFixed(5)).join(',')}}` });
    }
    await knex.raw(
      `insert into knowledge_chunks (knowledge_base_id, source_id, position, text, embedding, embedding_model)
       select ?, ?, v.position, v.text, v.embedding, 'local:universal-sentence-encoder' from jsonb_to_recordset(?::jsonb) as v(position int, text text, embedding real[])`,
      [kbId, sourceId, JSON.stringify(rows)],
    );
  }
}
