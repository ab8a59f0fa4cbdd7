import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer } from '../testing/harness.js';
import { testConfig } from '../testing/config.js';
import { makeDocx, makePdf, makeZipBomb } from './testing/documents.js';
import { startKnowledgeStack, waitForIngestion, WS, type KnowledgeStack } from './testing/stack.js';

/** Ingestion and search on the test harness's Postgres 15, which has no pgvector: the exact path. */
describe('knowledge bases on Postgres without pgvector', () => {
  let stack: KnowledgeStack;
  let kbId: string;
  let pageUrl: string;

  beforeAll(async () => {
    stack = await startKnowledgeStack(testConfig(), { maxFileBytes: 2 * 1024 * 1024, fetchTimeoutMs: 1500 });
    const server = await startLocalServer((req, _body, res) => {
      if (req.url === '/hang') return; // never answers: the page never finishes loading
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><body><nav>Home | About</nav><h1>Opening hours</h1><p>The shop opens at nine in the morning and closes at six, Monday to Saturday.</p></body></html>');
    });
    pageUrl = server.url;
  }, 60_000);
  afterAll(() => undefined);

  it('says vectors are searched exactly and names CREATE EXTENSION vector', async () => {
    const status = await stack.service.vectorSearch();
    expect(status.kind).toBe('exact');
    expect(status.message).toContain('CREATE EXTENSION vector');
  });

  it('ingests PDF, DOCX, HTML, CSV, a web page, text and FAQ pairs; chunks keep source, position and headings', async () => {
    const kb = await stack.service.create(WS, { name: 'Shop' });
    kbId = kb.id;
    expect(kb).toMatchObject({ chunkSize: 1000, chunkOverlap: 200, embedding: { model: 'local:universal-sentence-encoder', dimension: 512 } });
    const pdf = await makePdf(['Returns policy. Items can be returned within 30 days of delivery for a full refund.', 'Refunds are paid to the original card within five working days.']);
    const docx = await makeDocx(['# Warranty', 'Every kettle carries a two-year warranty against manufacturing defects.', '# Repairs', 'Send broken toasters to our repair centre in Leeds.']);
    const html = Buffer.from('<html><body><h1>Delivery</h1><h2>Abroad</h2><p>Parcels to Germany and France arrive in three to four days.</p><script>var x = "ignored";</script></body></html>');
    const csv = Buffer.from('product,price,colour\nKettle,39 EUR,red\nToaster,25 EUR,silver\n');
    await stack.service.addSource(WS, kb.id, { file: { name: 'returns.pdf', type: 'application/pdf', data: pdf } });
    await stack.service.addSource(WS, kb.id, { file: { name: 'warranty.docx', data: docx } });
    await stack.service.addSource(WS, kb.id, { file: { name: 'delivery.html', data: html } });
    await stack.service.addSource(WS, kb.id, { file: { name: 'prices.csv', data: csv } });
    await stack.service.addSource(WS, kb.id, { url: `${pageUrl}/hours` });
    await stack.service.addSource(WS, kb.id, { text: '# Gift cards\nGift cards never expire and can be used online or in store.', name: 'Gift cards' });
    await stack.service.addSource(WS, kb.id, { faq: [{ question: 'Do you ship to Canada?', answer: 'No, we only ship within Europe.' }] });
    const sources = await waitForIngestion(stack.service, kb.id);
    expect(sources.map((s) => [s.name, s.status, s.error])).toEqual(expect.arrayContaining([
      ['returns.pdf', 'ready', null], ['warranty.docx', 'ready', null], ['delivery.html', 'ready', null], ['prices.csv', 'ready', null],
      [`${pageUrl}/hours`, 'ready', null], ['Gift cards', 'ready', null], ['FAQ (1 questions)', 'ready', null],
    ]));
    expect(sources.every((s) => s.progress === 1 && s.chunkCount > 0)).toBe(true);

    const { knex } = stack.db;
    const chunks = await knex('knowledge_chunks').where({ knowledge_base_id: kb.id }).select('text', 'headings', 'position', 'embedding_model');
    const docxChunk = chunks.find((c) => c.text.includes('two-year warranty'));
    expect(docxChunk?.headings).toEqual(['Warranty']);
    expect(chunks.find((c) => c.text.includes('Germany'))?.headings).toEqual(['Delivery', 'Abroad']);
    expect(chunks.find((c) => c.text.includes('five working days'))?.headings).toEqual(['Page 2']);
    expect(chunks.find((c) => c.text.includes('Kettle'))?.text).toContain('product: Kettle | price: 39 EUR | colour: red');
    expect(chunks.some((c) => c.text.includes('ignored') || c.text.includes('Home | About'))).toBe(false);
    expect(new Set(chunks.map((c) => c.embedding_model))).toEqual(new Set(['local:universal-sentence-encoder']));
  }, 180_000);

  it('hybrid search ranks the chunk that answers, with scores and citations', async () => {
    const result = await stack.service.search(WS, kbId, 'How long until my refund arrives?', { k: 3 });
    expect(result.vectorSearch).toBe('exact');
    // Both pages of the returns PDF speak of refunds; the one saying how long it takes is among the first two.
    expect(result.hits[0]).toMatchObject({ citation: { sourceName: 'returns.pdf', sourceKind: 'file' } });
    expect(result.hits.slice(0, 2).map((h) => h.citation)).toContainEqual(expect.objectContaining({ sourceName: 'returns.pdf', headings: ['Page 2'], position: 1 }));
    expect(result.hits[0]!.similarity).toBeGreaterThan(0.2);
    expect(result.hits[0]!.score).toBeGreaterThan(result.hits[2]!.score);
    const byName = await stack.service.search(WS, 'Shop', 'when does the store open', { k: 1, mode: 'vector' });
    expect(byName.hits[0]!.citation).toMatchObject({ sourceKind: 'url', url: `${pageUrl}/hours` });
    const text = await stack.service.search(WS, kbId, 'toaster price', { k: 2, mode: 'fulltext' });
    expect(text.hits.map((h) => h.citation.sourceName)).toContain('prices.csv');
    // A minimum score leaves out what is not about the question at all.
    const none = await stack.service.search(WS, kbId, 'quantum chromodynamics lattice gauge theory', { k: 5, minScore: 0.5 });
    expect(none.hits).toEqual([]);
  }, 60_000);

  it('marks bad documents failed with the reason while the others carry on', async () => {
    const kb = await stack.service.create(WS, { name: 'Bad inputs' });
    const add = (name: string, data: Buffer) => stack.service.addSource(WS, kb.id, { file: { name, data } });
    const good = await makePdf(['Our helpline answers calls from eight until eight.']);
    await add('encrypted.pdf', await makePdf(['secret plans'], { userPassword: 'hunter2' }));
    await add('scanned.pdf', await makePdf(['']));
    await add('corrupt.pdf', good.subarray(0, 400));
    await add('not-really.pdf', Buffer.from('hello, I am a text file'));
    await add('bomb.docx', await makeZipBomb(200 * 1024 * 1024));
    await add('garbage.docx', Buffer.from('PK\u0003\u0004 not a zip at all'));
    await stack.service.addSource(WS, kb.id, { url: `${pageUrl}/hang`, name: 'slow page' });
    await stack.service.addSource(WS, kb.id, { url: 'http://169.254.169.254/latest/meta-data/', name: 'metadata' });
    await add('helpline.pdf', good);
    const sources = await waitForIngestion(stack.service, kb.id);
    const reason = (name: string) => sources.find((s) => s.name === name);
    expect(reason('encrypted.pdf')).toMatchObject({ status: 'failed', error: expect.stringContaining('encrypted') });
    expect(reason('scanned.pdf')).toMatchObject({ status: 'failed', error: expect.stringContaining('no text') });
    expect(reason('corrupt.pdf')).toMatchObject({ status: 'failed', error: expect.stringContaining('not a readable PDF') });
    expect(reason('not-really.pdf')).toMatchObject({ status: 'failed', error: expect.stringContaining('not a PDF') });
    expect(reason('bomb.docx')).toMatchObject({ status: 'failed', error: expect.stringContaining('ZIP bomb') });
    expect(reason('garbage.docx')).toMatchObject({ status: 'failed', error: expect.stringContaining('not a readable DOCX') });
    expect(reason('slow page')).toMatchObject({ status: 'failed', error: expect.stringContaining('did not finish loading') });
    expect(reason('metadata')).toMatchObject({ status: 'failed', error: expect.stringMatching(/could not be fetched/) });
    expect(reason('helpline.pdf')).toMatchObject({ status: 'ready', error: null });
    expect(sources.filter((s) => s.status === 'failed').every((s) => s.chunkCount === 0)).toBe(true);
  }, 120_000);

  it('refuses unsupported types (415), empty files (400) and files over the limit (413 naming it) at upload', async () => {
    const kb = await stack.service.create(WS, { name: 'Uploads' });
    await expect(stack.service.addSource(WS, kb.id, { file: { name: 'photo.png', type: 'image/png', data: Buffer.from([1, 2, 3]) } }))
      .rejects.toMatchObject({ status: 415, message: expect.stringContaining('PDF, DOCX') });
    await expect(stack.service.addSource(WS, kb.id, { file: { name: 'empty.txt', data: Buffer.alloc(0) } })).rejects.toMatchObject({ status: 400 });
    await expect(stack.service.addSource(WS, kb.id, { file: { name: 'big.txt', data: Buffer.alloc(3 * 1024 * 1024, 97) } }))
      .rejects.toMatchObject({ status: 413, message: 'files up to 2 MB can be added to a knowledge base' });
    expect(await stack.service.listSources(WS, kb.id)).toEqual([]);
    await expect(stack.service.create(WS, { name: 'Uploads' })).rejects.toMatchObject({ status: 409 });
    await expect(stack.service.search(WS, 'no such base', 'hello')).rejects.toMatchObject({ status: 404 });
  });

  it('deleting a source deletes its chunks; changing the chunk size re-indexes', async () => {
    const kb = await stack.service.create(WS, { name: 'Lifecycle', chunkSize: 300, chunkOverlap: 50 });
    const long = Array.from({ length: 12 }, (_, i) => `Paragraph ${i}: the loyalty programme gives one point per euro spent and points expire after a year.`).join('\n\n');
    const keep = await stack.service.addSource(WS, kb.id, { text: long, name: 'loyalty' });
    const drop = await stack.service.addSource(WS, kb.id, { text: 'Temporary note about the summer sale.', name: 'sale' });
    await waitForIngestion(stack.service, kb.id);
    const { knex } = stack.db;
    const count = async (sourceId: string) => Number((await knex('knowledge_chunks').where({ source_id: sourceId }).count<{ n: string }[]>('* as n'))[0]!.n);
    const before = await count(keep.id);
    expect(before).toBeGreaterThan(3);
    expect(await count(drop.id)).toBe(1);
    await stack.service.removeSource(WS, kb.id, drop.id);
    expect(await count(drop.id)).toBe(0);
    await expect(stack.service.removeSource(WS, kb.id, drop.id)).rejects.toMatchObject({ status: 404 });

    await stack.service.update(WS, kb.id, { chunkSize: 1000, chunkOverlap: 100 });
    const sources = await waitForIngestion(stack.service, kb.id);
    expect(sources.map((s) => s.status)).toEqual(['ready']);
    expect(await count(keep.id)).toBeLessThan(before);
    await stack.service.remove(WS, kb.id);
    expect(Number((await knex('knowledge_chunks').where({ knowledge_base_id: kb.id }).count<{ n: string }[]>('* as n'))[0]!.n)).toBe(0);
  }, 120_000);
});
