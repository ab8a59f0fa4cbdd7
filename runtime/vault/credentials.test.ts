import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialKinds } from '../../nodes/credentials/index.js';
import { openDatabase, type Database } from '../db/knex.js';
import { AppError, ValidationError } from '../errors.js';
import { testConfig } from '../testing/config.js';
import { createCredentialService, type VaultCredentialService } from './credentials.js';

const config = testConfig();
let db: Database;
let service: VaultCredentialService;
const key = randomBytes(32);

beforeAll(async () => {
  db = await openDatabase(config);
  await db.knex('workspaces').insert({ id: 'other', name: 'Other workspace' });
  service = createCredentialService(db.knex, key, credentialKinds);
});
afterAll(async () => {
  await db?.knex.raw('drop schema if exists ?? cascade', [config.databaseSchema]);
  await db?.close();
});

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('credential service', () => {
  it('creates, encrypts at rest and never returns the secret', async () => {
    const created = await service.create('default', { name: ' GitHub token ', kind: 'http-bearer', data: { token: 'ghp_supersecret' } });
    expect(created).toMatchObject({ name: 'GitHub token', kind: 'http-bearer' });
    expect(Object.keys(created).sort()).toEqual(['createdAt', 'id', 'kind', 'name', 'updatedAt']);
    const row = await db.knex('credentials').where({ id: created.id }).first();
    expect(row.secret).not.toContain('ghp_supersecret');
    expect(Buffer.from(row.secret, 'base64').toString('latin1')).not.toContain('ghp_supersecret');
    const listed = await service.list('default');
    const fetched = await service.get('default', created.id);
    expect(JSON.stringify([listed, fetched])).not.toContain('ghp_supersecret');
    expect(fetched).toEqual({ ...created, fields: {}, secretsSet: ['token'] });
  });

  it('validates data with the kind schema, listing every problem without echoing values', async () => {
    const error = await failure(service.create('default', { name: 'bad', kind: 'http-basic', data: { username: 'a:b', password: 42 } }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.status).toBe(400);
    const problems = (error as ValidationError).problems;
    expect(problems.map((p) => p.path)).toEqual([['data', 'username'], ['data', 'password']]);
    expect(JSON.stringify(problems)).not.toContain('a:b');
    const unknown = await failure(service.create('default', { name: 'x', kind: 'nope', data: {} }));
    expect(unknown.status).toBe(400);
    expect(unknown.message).toContain('unknown credential kind "nope"');
    expect((await failure(service.create('default', { name: '  ', kind: 'http-bearer', data: { token: 'abcd' } }))).status).toBe(400);
  });

  it('keeps names unique per workspace (409), but lets another workspace reuse a name', async () => {
    await service.create('default', { name: 'Shared name', kind: 'http-header', data: { name: 'X-Api-Key', value: 'k-1234' } });
    const clash = await failure(service.create('default', { name: 'shared NAME', kind: 'http-bearer', data: { token: 'zzzz' } }));
    expect(clash.status).toBe(409);
    const elsewhere = await service.create('other', { name: 'Shared name', kind: 'http-bearer', data: { token: 'other-token' } });
    expect(elsewhere.name).toBe('Shared name');
    // Racing creates of one name: the advisory lock lets exactly one through.
    const results = await Promise.allSettled([1, 2, 3].map((n) => service.create('default', { name: 'Racy', kind: 'http-bearer', data: { token: `tok-${n}` } })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('renames with the same uniqueness rule, and 404s across workspaces', async () => {
    const cred = await service.create('default', { name: 'Old name', kind: 'http-bearer', data: { token: 'rename-me' } });
    const renamed = await service.update('default', cred.id, { name: 'New name' });
    expect(renamed.name).toBe('New name');
    expect(await service.update('default', cred.id, { name: 'new NAME' })).toMatchObject({ name: 'new NAME' });
    expect((await failure(service.update('default', cred.id, { name: 'Shared name' }))).status).toBe(409);
    expect((await failure(service.get('other', cred.id))).status).toBe(404);
    expect((await failure(service.update('other', cred.id, { name: 'hijack' }))).status).toBe(404);
    expect((await failure(service.update('other', cred.id, { data: { token: 'hijack' } }))).status).toBe(404);
    expect((await failure(service.remove('other', cred.id))).status).toBe(404);
    expect((await service.loadCredentials('default', [cred.id])).get(cred.id)?.fields.token).toBe('rename-me');
  });

  it('edits fields in place: given ones replace, left-out ones (an untouched secret) stay, null removes; re-encrypted under the same id', async () => {
    const changed: string[] = [];
    const watched = createCredentialService(db.knex, key, credentialKinds, { onFieldsChanged: async (_ws, id) => { changed.push(id); } });
    const cred = await watched.create('default', { name: 'Edit me', kind: 'http-basic', data: { username: 'ada', password: 'pw-old-1', testUrl: 'https://api.example.com/me' } });
    const before = (await db.knex('credentials').where({ id: cred.id }).first()).secret;
    expect(await watched.get('default', cred.id)).toMatchObject({ fields: { username: 'ada', testUrl: 'https://api.example.com/me' }, secretsSet: ['password'] });

    const edited = await watched.update('default', cred.id, { data: { username: 'grace' } });
    expect(edited.id).toBe(cred.id);
    expect(changed).toEqual([cred.id]);
    expect((await watched.loadCredentials('default', [cred.id])).get(cred.id)?.fields)
      .toEqual({ username: 'grace', password: 'pw-old-1', testUrl: 'https://api.example.com/me' });
    expect((await db.knex('credentials').where({ id: cred.id }).first()).secret).not.toBe(before);

    await watched.update('default', cred.id, { data: { password: 'pw-new-2', testUrl: null } });
    expect((await watched.loadCredentials('default', [cred.id])).get(cred.id)?.fields).toEqual({ username: 'grace', password: 'pw-new-2' });
    // A rename alone leaves the fields (and the caches) alone.
    await watched.update('default', cred.id, { name: 'Edited' });
    expect(changed).toHaveLength(2);
    expect(JSON.stringify(await watched.get('default', cred.id))).not.toContain('pw-new-2');
    // Deleting is a change too: caches of the account must go.
    await watched.remove('default', cred.id);
    expect(changed).toEqual([cred.id, cred.id, cred.id]);
  });

  it('validates an edit with the kind schema, naming the field and not echoing the value; nothing is stored', async () => {
    const cred = await service.create('default', { name: 'Strict', kind: 'http-header', data: { name: 'X-Key', value: 'v-good-1' } });
    const error = await failure(service.update('default', cred.id, { name: 'Strict 2', data: { value: 'bad\r\nX-Evil: 1', name: 'X Key' } }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map((p) => p.path)).toEqual([['data', 'name'], ['data', 'value']]);
    expect(JSON.stringify((error as ValidationError).problems)).not.toContain('X-Evil');
    expect(await service.get('default', cred.id)).toMatchObject({ name: 'Strict', fields: { name: 'X-Key' } });
    expect((await service.loadCredentials('default', [cred.id])).get(cred.id)?.fields.value).toBe('v-good-1');
  });

  it('loads decrypted values for the executor: only the ids asked for, only in the workspace', async () => {
    const bearer = await service.create('default', { name: 'Load bearer', kind: 'http-bearer', data: { token: 'load-token' } });
    const hmac = await service.create('default', { name: 'Load hmac', kind: 'hmac-secret', data: { secret: 'whsec_abc' } });
    const foreign = (await service.list('other'))[0];
    const loaded = await service.loadCredentials('default', [bearer.id, hmac.id, foreign?.id ?? 'x', 'missing']);
    expect([...loaded.keys()].sort()).toEqual([bearer.id, hmac.id].sort());
    expect(loaded.get(bearer.id)).toEqual({ kind: 'http-bearer', fields: { token: 'load-token' } });
    // Schema defaults are stored with the credential.
    expect(loaded.get(hmac.id)).toEqual({ kind: 'hmac-secret', fields: { secret: 'whsec_abc', header: 'x-signature-256', prefix: 'sha256=' } });
    expect((await service.loadCredentials('default', [])).size).toBe(0);
  });

  it('binds each ciphertext to its row: a secret copied to another row does not decrypt', async () => {
    const a = await service.create('default', { name: 'Copy A', kind: 'http-bearer', data: { token: 'token-a' } });
    const b = await service.create('default', { name: 'Copy B', kind: 'http-bearer', data: { token: 'token-b' } });
    const rowA = await db.knex('credentials').where({ id: a.id }).first();
    await db.knex('credentials').where({ id: b.id }).update({ secret: rowA.secret });
    await expect(service.loadCredentials('default', [b.id])).rejects.toThrow(/cannot decrypt/);
    await db.knex('credentials').where({ id: b.id }).delete();
  });

  it('refuses to remove a credential a flow uses, naming the flows; removes it once unused', async () => {
    const cred = await service.create('default', { name: 'In use', kind: 'http-bearer', data: { token: 'in-use-token' } });
    const document = (id: string) => ({ format: 'switchyard/flow@1', name: 'x', nodes: [], edges: [], credentials: { api: { kind: 'http-bearer', name: 'In use', id } } });
    await db.knex('flows').insert([
      { id: 'f1', workspace_id: 'default', name: 'Order sync', document: document(cred.id) },
      { id: 'f2', workspace_id: 'default', name: 'Billing', document: document(cred.id) },
      { id: 'f3', workspace_id: 'default', name: 'Unrelated', document: document('someone-else') },
      { id: 'f4', workspace_id: 'default', name: 'No creds', document: { format: 'switchyard/flow@1', nodes: [] } },
    ]);
    const error = await failure(service.remove('default', cred.id));
    expect(error.status).toBe(409);
    expect(error.message).toContain('"Billing", "Order sync"');
    expect(error.message).not.toContain('Unrelated');
    expect(error.details).toEqual([{ flowId: 'f2', name: 'Billing' }, { flowId: 'f1', name: 'Order sync' }]);
    await db.knex('flows').whereIn('id', ['f1', 'f2']).update({ document: document('gone') });
    await service.remove('default', cred.id);
    expect((await failure(service.get('default', cred.id))).status).toBe(404);
  });

  it('lists the kinds with JSON Schemas that mark secret fields', () => {
    const kinds = service.kinds();
    // Every registered kind is listed (the families add theirs), the generic ones among them.
    expect(kinds.map((k) => k.kind).sort()).toEqual(Object.keys(credentialKinds).sort());
    expect(kinds.map((k) => k.kind)).toEqual(expect.arrayContaining(['hmac-secret', 'http-basic', 'http-bearer', 'http-header', 'telegram-bot', 'whatsapp-cloud']));
    const basic = kinds.find((k) => k.kind === 'http-basic');
    expect(basic?.schema).toMatchObject({ type: 'object', properties: { password: { type: 'string', secret: true }, username: { type: 'string' } } });
  });
});
