import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  LoopRequest, NodeError, NonRetryableError, WaitRequest,
  type CredentialValue, type HttpClient, type Json, type NodeContext,
} from '@switchyard/sdk';
import { createHttpClient } from '../../../runtime/net/client.js';
import { OutboundBlockedError } from '../../../runtime/net/errors.js';
import httpRequest from './index.js';
import { httpRequestProps } from './props.js';

/** The start of a PNG file: bytes no UTF-8 text has (NUL, 0x89). */
const PNG_BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);

type Slots = NonNullable<typeof httpRequest.credentials>;

/** A plain NodeContext for one step: what the executor would hand the node, minus the engine. */
function testContext(options: { http: HttpClient; auth?: CredentialValue; signal?: AbortSignal }): NodeContext<Slots> {
  const logs: string[] = [];
  return {
    executionId: 'exec-1',
    flowId: 'flow-1',
    workspaceId: 'default',
    nodeId: 'http',
    attempt: 1,
    idempotencyKey: 'exec-1:http:0',
    credentials: { auth: options.auth },
    http: options.http,
    log: { debug: (m) => logs.push(m), info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    signal: options.signal ?? new AbortController().signal,
    wait: (spec) => new WaitRequest(spec),
    loop: (items, port, concurrency) => new LoopRequest(items, port, concurrency),
  };
}

interface Seen { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }
let server: http.Server;
let base: string;
const seen: Seen[] = [];
const allowLocal = createHttpClient({ allow: ['127.0.0.1'] });

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const record = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(record);
      const url = new URL(req.url ?? '/', 'http://x');
      const status = Number(url.searchParams.get('status') ?? 200);
      if (url.pathname === '/slow') return void setTimeout(() => res.end('late'), 2_000);
      if (url.pathname === '/text') {
        res.setHeader('content-type', 'text/plain');
        return void res.end('plain words');
      }
      if (url.pathname === '/png') {
        res.setHeader('content-type', 'image/png');
        return void res.end(PNG_BYTES);
      }
      if (url.pathname === '/unlabelled') {
        return void res.end(url.searchParams.get('binary') ? PNG_BYTES : 'no type, but text');
      }
      if (url.pathname === '/broken-json') {
        res.setHeader('content-type', 'application/json');
        return void res.end('{not json');
      }
      res.statusCode = status;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('x-server', 'local');
      res.end(JSON.stringify({ echo: record.body, method: record.method }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  allowLocal.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function run(props: Record<string, Json>, ctx: NodeContext<Slots> = testContext({ http: allowLocal })) {
  return httpRequest.run(ctx, {}, httpRequestProps.parse(props));
}

async function rejection(promise: Promise<unknown>): Promise<NodeError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(NodeError);
  return error as NodeError;
}

describe('core.http-request', () => {
  it('declares the contract the editor and executor rely on', () => {
    expect(httpRequest).toMatchObject({ type: 'core.http-request', version: 1, category: 'Core', icon: 'globe', sideEffects: true });
    expect(httpRequest.credentials?.auth).toMatchObject({ kind: ['http-bearer', 'http-basic', 'http-header'], optional: true });
    const schema = z.toJSONSchema(httpRequestProps, { io: 'input' }) as { properties: Record<string, { widget?: string; default?: unknown }> };
    expect(schema.properties.headers?.widget).toBe('key-value');
    expect(schema.properties.query?.widget).toBe('key-value');
    expect(schema.properties.timeoutMs?.default).toBe(30_000);
    expect(httpRequestProps.parse({ url: 'https://x.test' })).toMatchObject({ method: 'GET', bodyType: 'none', failOnStatus: true, response: 'auto' });
  });

  it('GETs with headers and query, parses JSON, sends no idempotency key', async () => {
    seen.length = 0;
    const result = await run({
      url: `${base}/items?page=1`,
      headers: [{ name: 'X-Trace', value: 'abc' }],
      query: [{ name: 'q', value: 'a b&c' }, { name: 'tag', value: 'x' }],
    });
    expect(result).toMatchObject({ main: { status: 200, body: { method: 'GET', echo: '' }, headers: { 'x-server': 'local' } } });
    expect(seen[0]?.url).toBe('/items?page=1&q=a+b%26c&tag=x');
    expect(seen[0]?.headers['x-trace']).toBe('abc');
    expect(seen[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('POSTs JSON (text or object) with the idempotency key', async () => {
    seen.length = 0;
    await run({ method: 'POST', url: `${base}/a`, bodyType: 'json', body: '{"n": 1}' });
    await run({ method: 'PUT', url: `${base}/a`, bodyType: 'json', body: { n: [1, 2], s: 'x' } });
    expect(seen.map((s) => s.body)).toEqual(['{"n": 1}', '{"n":[1,2],"s":"x"}']);
    expect(seen.map((s) => s.headers['content-type'])).toEqual(['application/json', 'application/json']);
    expect(seen.map((s) => s.headers['idempotency-key'])).toEqual(['exec-1:http:0', 'exec-1:http:0']);
    const bad = await rejection(run({ method: 'POST', url: `${base}/a`, bodyType: 'json', body: '{oops' }));
    expect(bad).toBeInstanceOf(NonRetryableError);
    expect(bad.code).toBe('invalid_body');
  });

  it('sends form and raw bodies', async () => {
    seen.length = 0;
    await run({ method: 'PATCH', url: `${base}/f`, bodyType: 'form', body: { a: '1', b: ['x', 'y'], c: 2 } });
    await run({ method: 'POST', url: `${base}/r`, bodyType: 'raw', body: 'just text', headers: [{ name: 'Content-Type', value: 'text/csv' }] });
    expect(seen[0]).toMatchObject({ body: 'a=1&b=x&b=y&c=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(seen[1]).toMatchObject({ body: 'just text', headers: { 'content-type': 'text/csv' } });
  });

  it('authenticates with bearer, basic and header credentials, over a header of the same name', async () => {
    seen.length = 0;
    const props = { url: `${base}/auth`, headers: [{ name: 'authorization', value: 'spoofed' }] };
    await run(props, testContext({ http: allowLocal, auth: { kind: 'http-bearer', fields: { token: 'tok_1' } } }));
    await run(props, testContext({ http: allowLocal, auth: { kind: 'http-basic', fields: { username: 'al', password: 'pw' } } }));
    await run(props, testContext({ http: allowLocal, auth: { kind: 'http-header', fields: { name: 'X-Api-Key', value: 'k_9' } } }));
    expect(seen[0]?.headers.authorization).toBe('Bearer tok_1');
    expect(seen[1]?.headers.authorization).toBe(`Basic ${Buffer.from('al:pw').toString('base64')}`);
    expect(seen[2]?.headers['x-api-key']).toBe('k_9');
    const wrong = await rejection(run(props, testContext({ http: allowLocal, auth: { kind: 'openai', fields: { apiKey: 'x' } } })));
    expect(wrong.code).toBe('invalid_credential');
  });

  it('fails on 4xx without retry, on 5xx and 429 with retry, and passes statuses through when told to', async () => {
    const notFound = await rejection(run({ url: `${base}/x?status=404` }));
    expect(notFound).toBeInstanceOf(NonRetryableError);
    expect(notFound.code).toBe('http_status');
    expect(notFound.details).toMatchObject([{ status: 404 }]);
    for (const status of [500, 503, 429]) {
      const error = await rejection(run({ url: `${base}/x?status=${status}` }));
      expect(error).not.toBeInstanceOf(NonRetryableError);
      expect(error.code).toBe('http_status');
    }
    expect(await run({ url: `${base}/x?status=404`, failOnStatus: false })).toMatchObject({ main: { status: 404 } });
  });

  it('reads a binary body as base64, marked as such, and text as text', async () => {
    const png = PNG_BYTES.toString('base64');
    expect(await run({ url: `${base}/png` })).toMatchObject({ main: { body: png, bodyEncoding: 'base64' } });
    expect(await run({ url: `${base}/unlabelled?binary=1` })).toMatchObject({ main: { body: png, bodyEncoding: 'base64' } });
    const text = await run({ url: `${base}/unlabelled` });
    expect(text).toMatchObject({ main: { body: 'no type, but text' } });
    expect((text as { main: Record<string, unknown> }).main.bodyEncoding).toBeUndefined();
    // Asked for explicitly, any body comes as base64.
    expect(await run({ url: `${base}/text`, response: 'base64' })).toMatchObject({ main: { body: Buffer.from('plain words').toString('base64'), bodyEncoding: 'base64' } });
  });

  it('reads responses as asked: auto, text, json', async () => {
    expect(await run({ url: `${base}/text` })).toMatchObject({ main: { body: 'plain words' } });
    expect(await run({ url: `${base}/x`, response: 'text' })).toMatchObject({ main: { body: '{"echo":"","method":"GET"}' } });
    expect(await run({ url: `${base}/broken-json` })).toMatchObject({ main: { body: '{not json' } });
    expect((await rejection(run({ url: `${base}/broken-json`, response: 'json' }))).code).toBe('invalid_json');
    expect(await run({ method: 'HEAD', url: `${base}/x` })).toMatchObject({ main: { status: 200, body: null } });
  });

  it('goes only through ctx.http: the default guard blocks the local server', async () => {
    const guarded = createHttpClient();
    const error = await rejection(run({ url: `${base}/x` }, testContext({ http: guarded })));
    expect(error).toBeInstanceOf(OutboundBlockedError);
    guarded.close();
  });

  it('passes ctx.signal and honours timeoutMs', async () => {
    const controller = new AbortController();
    const reason = new NonRetryableError('cancelled', { code: 'cancelled' });
    setTimeout(() => controller.abort(reason), 50);
    expect(await run({ url: `${base}/slow` }, testContext({ http: allowLocal, signal: controller.signal })).catch((e: unknown) => e)).toBe(reason);
    expect((await rejection(run({ url: `${base}/slow`, timeoutMs: 100 }))).code).toBe('timeout');
  });

  it('refuses an invalid URL without retrying', async () => {
    const error = await rejection(run({ url: 'not a url' }));
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error.code).toBe('invalid_url');
  });
});
