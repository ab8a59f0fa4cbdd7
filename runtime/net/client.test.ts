import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeError, NonRetryableError } from '@switchyard/sdk';
import { createHttpClient, type GuardedHttpClient } from './client.js';
import { OutboundBlockedError } from './errors.js';

/** The outside world: a local server whose routes the tests pick by path. */
let server: http.Server;
let base: string;
let port: number;
const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/json') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: true, method: req.method }));
      } else if (url.pathname === '/redirect') {
        res.statusCode = Number(url.searchParams.get('status') ?? 302);
        res.setHeader('location', url.searchParams.get('to') ?? '/json');
        res.end();
      } else if (url.pathname === '/loop') {
        res.statusCode = 302;
        res.setHeader('location', '/loop');
        res.end();
      } else if (url.pathname === '/slow') {
        setTimeout(() => res.end('late'), 2_000);
      } else if (url.pathname === '/big') {
        res.end(Buffer.alloc(64 * 1024, 'a'));
      } else if (url.pathname === '/encoded') {
        // Compressed as the request asked (gzip, deflate or br), or in the coding the test forces.
        const coding = url.searchParams.get('coding') ?? '';
        const plain = Buffer.from(JSON.stringify({ ok: true, coding }));
        const encode = { gzip: zlib.gzipSync, deflate: zlib.deflateSync, br: zlib.brotliCompressSync }[coding];
        res.setHeader('content-type', 'application/json');
        if (encode) res.setHeader('content-encoding', coding);
        res.end(encode ? encode(plain) : plain);
      } else if (url.pathname === '/bomb') {
        // 64 KiB of gzip that inflates to 64 MiB: only the decoded size tells.
        res.setHeader('content-encoding', 'gzip');
        res.end(zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024)));
      } else if (url.pathname === '/corrupt') {
        res.setHeader('content-encoding', 'gzip');
        res.end('this is not gzip');
      } else if (url.pathname === '/big-chunked') {
        // No content-length: the limit must be enforced while streaming.
        res.write(Buffer.alloc(40 * 1024, 'a'));
        setTimeout(() => res.end(Buffer.alloc(40 * 1024, 'b')), 20);
      } else {
        res.end('hello');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const clients: GuardedHttpClient[] = [];
afterAll(() => clients.forEach((c) => c.close()));
function client(options: Parameters<typeof createHttpClient>[0] = {}): GuardedHttpClient {
  const c = createHttpClient(options);
  clients.push(c);
  return c;
}

/** A resolver that must not be consulted: literal addresses are judged without DNS. */
function noDns(): (host: string) => Promise<string[]> {
  return async (host) => {
    throw new Error(`resolver called for ${host}`);
  };
}

async function blocked(promise: Promise<unknown>): Promise<OutboundBlockedError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(OutboundBlockedError);
  expect(error).toBeInstanceOf(NonRetryableError);
  return error as OutboundBlockedError;
}

describe('outbound guard', () => {
  it('blocks loopback, localhost and the metadata address by default', async () => {
    const http = client({ resolve: noDns() });
    const loop = await blocked(http.request({ url: `${base}/json` }));
    expect(loop.code).toBe('outbound_blocked');
    expect(loop.message).toMatch(/"127\.0\.0\.1".*loopback/);
    expect((await blocked(http.request({ url: `http://localhost:${port}/` }))).message).toMatch(/"localhost".*local machine/);
    expect((await blocked(http.request({ url: 'http://169.254.169.254/latest/meta-data/' }))).message).toMatch(/link-local/);
    expect((await blocked(http.request({ url: 'http://metadata.google.internal/computeMetadata/v1/' }))).message).toMatch(/metadata/);
    expect(seen).toHaveLength(0);
  });

  it.each(['http://2130706433/', 'http://0x7f.1/', 'http://0177.0.0.1/', 'http://127.1/', 'http://0x7f000001/'])(
    'blocks the odd loopback spelling %s (WHATWG URL normalises it to 127.0.0.1)', async (url) => {
      expect(new URL(url).hostname).toBe('127.0.0.1');
      const error = await blocked(client({ resolve: noDns() }).request({ url }));
      expect(error.message).toContain('"127.0.0.1"');
    },
  );

  it.each(['http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]/', 'http://[::1]/', 'http://[64:ff9b::a9fe:a9fe]/', 'http://[fd00::1]/'])(
    'blocks the IPv6 form %s', async (url) => {
      await blocked(client({ resolve: noDns() }).request({ url }));
    },
  );

  it('blocks a public-looking hostname that resolves to 127.0.0.1, and one bad address among good ones', async () => {
    const http = client({ resolve: async (host) => (host === 'evil.example' ? ['127.0.0.1'] : ['93.184.215.14', '10.0.0.7']) });
    expect((await blocked(http.request({ url: `http://evil.example:${port}/json` }))).message).toMatch(/"evil\.example".*resolves to 127\.0\.0\.1/);
    expect((await blocked(http.request({ url: 'http://mixed.example/' }))).message).toMatch(/resolves to 10\.0\.0\.7, a private/);
  });

  it('checks a host for a connection that is not HTTP (SMTP, IMAP) with the same rules', async () => {
    const http = client({ resolve: async (host) => (host === 'evil.example' ? ['10.1.2.3'] : ['93.184.215.14']) });
    expect(await http.checkHost('smtp.example.com')).toEqual(['93.184.215.14']);
    await expect(http.checkHost('evil.example')).rejects.toThrow(/"evil\.example".*resolves to 10\.1\.2\.3, a private/);
    await expect(http.checkHost('127.0.0.1')).rejects.toBeInstanceOf(OutboundBlockedError);
    await expect(http.checkHost('::1')).rejects.toBeInstanceOf(OutboundBlockedError);
    await expect(http.checkHost('localhost')).rejects.toThrow(/local machine/);
    expect(await client({ allow: ['127.0.0.1'] }).checkHost('127.0.0.1')).toEqual(['127.0.0.1']);
  });

  it('refuses schemes other than http and https', async () => {
    const http = client();
    for (const url of ['file:///etc/passwd', 'ftp://example.com/', 'gopher://127.0.0.1:70/']) {
      expect((await blocked(http.request({ url }))).message).toMatch(/only http and https/);
    }
  });

  it('lets an allowed address through, and pins the socket to the checked address', async () => {
    const viaIp = await client({ allow: ['127.0.0.1'] }).request({ url: `${base}/json` });
    expect(viaIp.status).toBe(200);
    expect(viaIp.json()).toEqual({ ok: true, method: 'GET' });
    // The hostname never exists in DNS: the connection can only have gone to what the resolver returned.
    const named = await client({ allow: ['127.0.0.0/8'], resolve: async () => ['127.0.0.1'] }).request({ url: `http://api.test:${port}/json` });
    expect(named.status).toBe(200);
    expect(seen.at(-1)?.headers.host).toBe(`api.test:${port}`);
  });

  it('re-checks every redirect: an allowed server cannot bounce the request to a private address', async () => {
    const http = client({ allow: ['127.0.0.1'] });
    const error = await blocked(http.request({ url: `${base}/redirect?to=${encodeURIComponent('http://169.254.169.254/latest/')}` }));
    expect(error.host).toBe('169.254.169.254');
    await blocked(http.request({ url: `${base}/redirect?to=${encodeURIComponent('http://[::ffff:10.0.0.1]/')}` }));
  });

  it('follows allowed redirects: 303 turns POST into GET, 307 keeps it, credentials stay on their origin', async () => {
    const http = client({ allow: ['127.0.0.1', 'localhost'], resolve: async () => ['127.0.0.1'] });
    seen.length = 0;
    const r303 = await http.request({ url: `${base}/redirect?status=303`, method: 'POST', body: '{"a":1}', headers: { 'Content-Type': 'application/json' } });
    expect(r303.json()).toEqual({ ok: true, method: 'GET' });
    expect(r303.url).toBe(`${base}/json`);
    expect(seen[1]?.body).toBe('');
    const r307 = await http.request({ url: `${base}/redirect?status=307`, method: 'POST', body: 'x=1' });
    expect(r307.json()).toEqual({ ok: true, method: 'POST' });
    expect(seen[3]?.body).toBe('x=1');
    seen.length = 0;
    const crossOrigin = `http://localhost:${port}/json`;
    await http.request({ url: `${base}/redirect?to=${encodeURIComponent(crossOrigin)}`, headers: { Authorization: 'Bearer s3cret', 'X-Keep': '1' } });
    expect(seen[0]?.headers.authorization).toBe('Bearer s3cret');
    expect(seen[1]?.headers.authorization).toBeUndefined();
    expect(seen[1]?.headers['x-keep']).toBe('1');
  });

  it('stops after maxRedirects, and returns the 3xx itself when redirects are off', async () => {
    const http = client({ allow: ['127.0.0.1'] });
    const error = await http.request({ url: `${base}/loop`, maxRedirects: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as NodeError).code).toBe('too_many_redirects');
    const raw = await http.request({ url: `${base}/loop`, maxRedirects: 0 });
    expect(raw.status).toBe(302);
    expect(raw.headers.location).toBe('/loop');
  });

  it('times out with a retryable timeout error', async () => {
    const started = Date.now();
    const error = await client({ allow: ['127.0.0.1'], defaultTimeoutMs: 150 }).request({ url: `${base}/slow` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeError);
    expect(error).not.toBeInstanceOf(NonRetryableError);
    expect((error as NodeError).code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('times out while a slow resolver is still thinking', async () => {
    const hang = () => new Promise<string[]>(() => undefined);
    const error = await client({ resolve: hang }).request({ url: 'http://slow-dns.example/', timeoutMs: 100 }).catch((e: unknown) => e);
    expect((error as NodeError).code).toBe('timeout');
  });

  it('aborts with the reason of the caller\'s signal', async () => {
    const controller = new AbortController();
    const reason = new NodeError('step cancelled', { code: 'cancelled' });
    setTimeout(() => controller.abort(reason), 50);
    const error = await client({ allow: ['127.0.0.1'] }).request({ url: `${base}/slow`, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBe(reason);
  });

  it('refuses bodies over the size limit, declared or streamed', async () => {
    const http = client({ allow: ['127.0.0.1'], maxBytes: 32 * 1024 });
    for (const path of ['/big', '/big-chunked']) {
      const error = await http.request({ url: `${base}${path}` }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NonRetryableError);
      expect((error as NodeError).code).toBe('response_too_large');
    }
    const fits = await http.request({ url: `${base}/big`, maxBytes: 64 * 1024 });
    expect(fits.body.byteLength).toBe(64 * 1024);
  });

  it('asks for compressed bodies and hands the node the decoded bytes', async () => {
    const http = client({ allow: ['127.0.0.1'] });
    for (const coding of ['gzip', 'deflate', 'br']) {
      const response = await http.request({ url: `${base}/encoded?coding=${coding}` });
      expect(response.json()).toEqual({ ok: true, coding });
      // The body given is decoded, so these headers would only mislead.
      expect(response.headers['content-encoding']).toBeUndefined();
      expect(response.headers['content-length']).toBeUndefined();
    }
    expect(seen.at(-1)?.headers['accept-encoding']).toBe('gzip, deflate, br');
    // A request that names its own Accept-Encoding keeps it.
    await http.request({ url: `${base}/encoded`, headers: { 'Accept-Encoding': 'identity' } });
    expect(seen.at(-1)?.headers['accept-encoding']).toBe('identity');
  });

  it('counts the size limit in decoded bytes, so a small compressed bomb is refused', async () => {
    const http = client({ allow: ['127.0.0.1'], maxBytes: 1024 * 1024 });
    const error = await http.request({ url: `${base}/bomb` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as NodeError).code).toBe('response_too_large');
    const corrupt = await http.request({ url: `${base}/corrupt` }).catch((e: unknown) => e);
    expect(corrupt).toMatchObject({ code: 'bad_encoding', message: expect.stringContaining('could not be decoded (gzip)') });
  });

  it('reports a refused connection as a retryable network error', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await client({ allow: ['127.0.0.1'] }).request({ url: `http://127.0.0.1:${deadPort}/` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeError);
    expect(error).not.toBeInstanceOf(NonRetryableError);
    expect((error as NodeError).code).toBe('network_error');
  });
});
