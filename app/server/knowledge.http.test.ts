import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../runtime/index.js';
import { testConfig } from '../../runtime/testing/config.js';
import { makeDocx } from '../../runtime/knowledge/testing/documents.js';
import { serveTestApi, type TestApi } from './test-api.server.js';

/** Knowledge bases through the HTTP API with a real worker: create, upload (multipart), JSON sources, search, refusals. */
let runtime: Runtime;
let http: TestApi;

beforeAll(async () => {
  runtime = await createRuntime(testConfig({ outboundAllow: ['127.0.0.1'] }));
  await runtime.startWorker({ concurrency: 2 });
  http = await serveTestApi(runtime, 'knowledge');
}, 60_000);
afterAll(async () => {
  await runtime?.close();
});

function upload(path: string, name: string, data: Buffer, type = 'application/octet-stream') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)], { type }), name);
  return fetch(http.base + path, { method: 'POST', headers: { authorization: `Bearer ${http.key}` }, body: form });
}

async function settled(kbId: string) {
  let sources: { status: string }[] = [];
  await expect.poll(async () => {
    sources = (await http.api('GET', `/api/knowledge-bases/${kbId}/sources`)).body;
    return sources.every((s) => s.status === 'ready' || s.status === 'failed');
  }, { timeout: 90_000, interval: 250 }).toBe(true);
  return sources;
}

describe('knowledge API', () => {
  it('creates a base, takes an upload and JSON sources, and searches them with citations', async () => {
    const created = await http.api('POST', '/api/knowledge-bases', { name: 'Support' });
    expect(created.status).toBe(201);
    const kb = created.body;
    expect(kb).toMatchObject({ name: 'Support', chunkSize: 1000, chunkOverlap: 200, embedding: { dimension: 512 } });

    const docx = await makeDocx(['# Returns', 'You may return shoes within 60 days if they are unworn.']);
    const res = await upload(`/api/knowledge-bases/${kb.id}/sources`, 'returns.docx', docx);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ kind: 'file', name: 'returns.docx', format: 'docx', status: 'queued' });
    expect((await http.api('POST', `/api/knowledge-bases/${kb.id}/sources`, { text: 'Our stores close at 8pm on Fridays.', name: 'hours' })).status).toBe(201);
    expect((await http.api('POST', `/api/knowledge-bases/${kb.id}/sources`, { faq: [{ question: 'Is gift wrapping free?', answer: 'Yes, at every till.' }] })).status).toBe(201);
    expect((await settled(kb.id)).map((s) => s.status)).toEqual(['ready', 'ready', 'ready']);

    const search = await http.api('GET', `/api/knowledge-bases/${kb.id}/search?q=${encodeURIComponent('can I send back my shoes?')}&k=2`);
    expect(search.status).toBe(200);
    expect(search.body.hits[0]).toMatchObject({ citation: { sourceName: 'returns.docx', headings: ['Returns'], position: 0 } });
    expect(search.body.hits[0].similarity).toBeGreaterThan(0);
    expect(search.body).toMatchObject({ mode: 'hybrid', vectorSearch: 'exact' });

    const list = await http.api('GET', '/api/knowledge-bases');
    expect(list.body).toEqual([expect.objectContaining({ id: kb.id, sourceCounts: { queued: 0, processing: 0, ready: 3, failed: 0 } })]);
    expect((await http.api('GET', '/api/knowledge-bases/vector-search')).body).toMatchObject({ kind: 'exact', message: expect.stringContaining('CREATE EXTENSION vector') });
  }, 120_000);

  it('answers 4xx naming the problem', async () => {
    const kb = (await http.api('POST', '/api/knowledge-bases', { name: 'Refusals' })).body;
    const path = `/api/knowledge-bases/${kb.id}/sources`;
    const big = await upload(path, 'big.txt', Buffer.alloc(21 * 1024 * 1024, 97), 'text/plain');
    expect(big.status).toBe(413);
    expect((await big.json()).error.message).toBe('files up to 20 MB can be added to a knowledge base');
    const png = await upload(path, 'cat.png', Buffer.from([137, 80, 78, 71]), 'image/png');
    expect(png.status).toBe(415);
    expect((await png.json()).error.message).toContain('"cat.png" is not a supported file type');
    const noFile = new FormData();
    noFile.append('name', 'x');
    const missing = await fetch(http.base + path, { method: 'POST', headers: { authorization: `Bearer ${http.key}` }, body: noFile });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.message).toContain('"file"');
    const neither = await http.api('POST', path, { colour: 'red' });
    expect(neither.status).toBe(400);
    expect((await http.api('POST', path, { url: 'ftp://example.com/x' })).status).toBe(400);
    expect((await http.api('POST', path, { faq: [] })).status).toBe(400);
    expect((await http.api('POST', '/api/knowledge-bases', { name: '' })).status).toBe(400);
    expect((await http.api('POST', '/api/knowledge-bases', { name: 'Odd', chunkSize: 500, chunkOverlap: 600 })).body.error.details[0].path).toEqual(['body', 'chunkOverlap']);
    expect((await http.api('POST', '/api/knowledge-bases', { name: 'Refusals' })).status).toBe(409);
    expect((await http.api('GET', `/api/knowledge-bases/${kb.id}/search`)).status).toBe(400);
    expect((await http.api('GET', '/api/knowledge-bases/kb_nope/search?q=hi')).status).toBe(404);
    expect((await http.api('DELETE', `/api/knowledge-bases/${kb.id}/sources/ks_nope`)).status).toBe(404);
    expect((await http.api('DELETE', `/api/knowledge-bases/${kb.id}`)).status).toBe(204);
    expect((await http.api('GET', `/api/knowledge-bases/${kb.id}`)).status).toBe(404);
    const openapi = (await http.api('GET', '/api/openapi.json')).body;
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/knowledge-bases', '/api/knowledge-bases/{id}/sources', '/api/knowledge-bases/{id}/search']));
  }, 60_000);
});
