import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialKinds } from '../../nodes/credentials/index.js';
import { openDatabase, type Database } from '../db/knex.js';
import { AppError } from '../errors.js';
import { createHttpClient } from '../net/index.js';
import { testConfig } from '../testing/config.js';
import { startLocalServer } from '../testing/harness.js';
import { createCredentialService, type VaultCredentialService } from './credentials.js';

/** "Test connection" against a local server standing in for the service the credential is for. */
const config = testConfig();
const TOKEN = 'tok_right_0123456789';
const PASSWORD = 'pw-very-secret-42';
let db: Database;
let service: VaultCredentialService;
let guarded: VaultCredentialService;
let base: string;
const http = createHttpClient({ allow: ['127.0.0.1'] });
/** Authorization and X-Api-Key headers the local server saw, in order. */
const seen: { authorization?: string; apiKey?: string }[] = [];

beforeAll(async () => {
  db = await openDatabase(config);
  service = createCredentialService(db.knex, randomBytes(32), credentialKinds, { http });
  // No allow list: the default guard must refuse loopback, however the URL was typed.
  guarded = createCredentialService(db.knex, randomBytes(32), credentialKinds);
  const server = await startLocalServer((req, _body, res) => {
    const auth = req.headers.authorization;
    const apiKey = typeof req.headers['x-api-key'] === 'string' ? req.headers['x-api-key'] : undefined;
    seen.push({ ...(auth ? { authorization: auth } : {}), ...(apiKey ? { apiKey } : {}) });
    const basic = `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`;
    const right = auth === `Bearer ${TOKEN}` || auth === basic || apiKey === TOKEN;
    // Echoes the header back, as a careless API might: the message must still not carry it.
    res.writeHead(right ? 200 : 401, { 'content-type': 'text/plain' }).end(`you sent ${auth ?? apiKey ?? 'nothing'}`);
  });
  base = server.url;
});
afterAll(async () => {
  http.close();
  await db?.knex.raw('drop schema if exists ?? cascade', [config.databaseSchema]);
  await db?.close();
});

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('credential connection test', () => {
  it('reports ok for a 2xx with the bearer token applied, without the secret', async () => {
    const c = await service.create('default', { name: 'Good token', kind: 'http-bearer', data: { token: TOKEN, testUrl: `${base}/me` } });
    const result = await service.test('default', c.id);
    expect(result).toEqual({ ok: true, message: expect.stringContaining('answered 200') });
    expect(seen.at(-1)).toEqual({ authorization: `Bearer ${TOKEN}` });
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it('reports a 401 in plain words, without the secret', async () => {
    const c = await service.create('default', { name: 'Wrong token', kind: 'http-bearer', data: { token: 'tok_wrong_987654321', testUrl: `${base}/me` } });
    const result = await service.test('default', c.id);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/answered 401\. The credential was refused/);
    expect(JSON.stringify(result)).not.toContain('tok_wrong_987654321');
  });

  it('applies basic and header credentials the way the HTTP node does', async () => {
    const basic = await service.create('default', { name: 'Basic', kind: 'http-basic', data: { username: 'alice', password: PASSWORD, testUrl: `${base}/b` } });
    expect(await service.test('default', basic.id)).toMatchObject({ ok: true });
    const wrongBasic = await service.create('default', { name: 'Basic wrong', kind: 'http-basic', data: { username: 'alice', password: 'nope-nope', testUrl: `${base}/b` } });
    const refused = await service.test('default', wrongBasic.id);
    expect(refused.ok).toBe(false);
    expect(refused.message).not.toContain('nope-nope');
    const header = await service.create('default', { name: 'Header', kind: 'http-header', data: { name: 'X-Api-Key', value: TOKEN, testUrl: `${base}/h` } });
    expect(await service.test('default', header.id)).toMatchObject({ ok: true });
    expect(seen.at(-1)).toEqual({ apiKey: TOKEN });
  });

  it('says what to do when there is no test URL, and refuses a kind without a test', async () => {
    const noUrl = await service.create('default', { name: 'No URL', kind: 'http-bearer', data: { token: TOKEN } });
    expect(await service.test('default', noUrl.id)).toEqual({ ok: false, message: expect.stringContaining('no test URL') });
    const hmac = await service.create('default', { name: 'Signing', kind: 'hmac-secret', data: { secret: 'whsec_abcdef' } });
    expect(await failure(service.test('default', hmac.id))).toMatchObject({ status: 400, code: 'not_testable' });
    expect(await failure(service.test('default', 'missing'))).toMatchObject({ status: 404 });
    expect(await failure(service.test('other', noUrl.id))).toMatchObject({ status: 404 });
  });

  it('goes through the SSRF guard: loopback is refused unless allowed', async () => {
    const c = await guarded.create('default', { name: 'Loopback', kind: 'http-bearer', data: { token: TOKEN, testUrl: `${base}/me` } });
    const before = seen.length;
    const result = await guarded.test('default', c.id);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^Could not connect: /);
    expect(result.message).not.toContain(TOKEN);
    expect(seen.length).toBe(before);
  });

  it('lists which kinds are testable', () => {
    const testable = Object.fromEntries(service.kinds().map((k) => [k.kind, k.testable]));
    // The generic HTTP kinds are testable; a bare signing secret has nothing to call.
    expect(testable).toMatchObject({ 'http-bearer': true, 'http-basic': true, 'http-header': true, 'hmac-secret': false });
    // Every other kind is listed as testable exactly when it defines a test (channel and AI kinds do).
    for (const [kind, definition] of Object.entries(credentialKinds)) expect(testable[kind], kind).toBe(typeof definition.test === 'function');
  });
});
