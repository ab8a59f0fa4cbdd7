import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/knex.js';
import { AppError, ConflictError, NotFoundError, TooManyRequestsError, UnauthorizedError } from '../errors.js';
import { testConfig } from '../testing/config.js';
import { createAuthService, ensureOwnerFromEnv } from './auth.js';
import type { AuthService } from './types.js';

let db: Database;
let auth: AuthService;
let clock = Date.now();
const now = () => clock;

beforeAll(async () => {
  db = await openDatabase(testConfig());
  // Cost 4 keeps the suite fast; the default (10) is what production uses.
  auth = createAuthService(db.knex, { bcryptCost: 4, now, apiKeyCacheMs: 60_000 });
});

afterAll(async () => {
  await db?.close();
});

describe('owner setup', () => {
  it('validates email and password, naming every problem', async () => {
    const error = await auth.setupOwner({ email: 'not-an-email', password: 'short' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
    expect((error as AppError).code).toBe('validation_failed');
    expect((error as AppError).details).toHaveLength(2);
    expect(await auth.needsSetup()).toBe(true);
  });

  it('creates the first owner once, then refuses with 409', async () => {
    const { userId } = await auth.setupOwner({ email: ' Owner@Example.com ', password: 'correct horse' });
    expect(userId).toMatch(/[0-9a-f-]{36}/);
    expect(await auth.needsSetup()).toBe(false);
    const row = await db.knex('users').where({ id: userId }).first();
    expect(row).toMatchObject({ email: 'owner@example.com', role: 'owner', workspace_id: 'default' });
    expect(row.password_hash).toMatch(/^\$2[aby]\$04\$/);
    await expect(auth.setupOwner({ email: 'second@example.com', password: 'another pass' })).rejects.toBeInstanceOf(ConflictError);
    expect(await ensureOwnerFromEnv(auth, { ownerEmail: 'x@example.com', ownerPassword: 'password1' })).toBe('exists');
    expect(await ensureOwnerFromEnv(auth, {})).toBe('skipped');
  });
});

describe('sessions', () => {
  it('logs in with the right password only and stores just the token hash', async () => {
    await expect(auth.login({ email: 'owner@example.com', password: 'wrong password', clientKey: 'ip-1' })).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(auth.login({ email: 'nobody@example.com', password: 'correct horse', clientKey: 'ip-1' })).rejects.toBeInstanceOf(UnauthorizedError);
    const { sessionToken, expiresAt } = await auth.login({ email: 'OWNER@example.com', password: 'correct horse', clientKey: 'ip-1' });
    expect(Buffer.from(sessionToken, 'base64url')).toHaveLength(32);
    expect(expiresAt.getTime() - clock).toBe(14 * 24 * 60 * 60 * 1000);
    const stored = await db.knex('sessions').select('id_hash');
    expect(stored.some((r) => r.id_hash === sessionToken)).toBe(false);
    expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.id_hash))).toBe(true);

    const principal = await auth.authenticateSession(sessionToken);
    expect(principal).toMatchObject({ workspaceId: 'default' });
    expect(principal?.userId).toBeTruthy();
    expect(await auth.authenticateSession('made-up')).toBeUndefined();

    await auth.logout(sessionToken);
    expect(await auth.authenticateSession(sessionToken)).toBeUndefined();
  });

  it('expires sessions after 14 days', async () => {
    const { sessionToken } = await auth.login({ email: 'owner@example.com', password: 'correct horse', clientKey: 'ip-2' });
    clock += 14 * 24 * 60 * 60 * 1000 - 1000;
    expect(await auth.authenticateSession(sessionToken)).toBeDefined();
    clock += 2000;
    expect(await auth.authenticateSession(sessionToken)).toBeUndefined();
  });

  it('rate-limits failed logins per client and email, then lets them try again later', async () => {
    const attempt = (password: string, clientKey = 'ip-3') => auth.login({ email: 'owner@example.com', password, clientKey });
    for (let i = 0; i < 10; i += 1) await expect(attempt('nope nope')).rejects.toBeInstanceOf(UnauthorizedError);
    const limited = await attempt('correct horse').catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(TooManyRequestsError);
    expect((limited as TooManyRequestsError).status).toBe(429);
    expect((limited as TooManyRequestsError).retryAfterSeconds).toBeGreaterThan(0);
    // Another client is not punished for this one's failures.
    await expect(attempt('correct horse', 'ip-4')).resolves.toHaveProperty('sessionToken');
    clock += 15 * 60 * 1000 + 1;
    await expect(attempt('correct horse')).resolves.toHaveProperty('sessionToken');
  });
});

describe('API keys', () => {
  it('creates sy_ keys shown once, stores only the hash, lists without the secret', async () => {
    const created = await auth.createApiKey('default', ' CI ');
    expect(created.key).toMatch(/^sy_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.key.slice(0, 10));
    const row = await db.knex('api_keys').where({ id: created.id }).first();
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(created.key);

    const listed = await auth.listApiKeys('default');
    expect(listed).toEqual([{ id: created.id, name: 'CI', prefix: created.prefix, createdAt: expect.any(String), lastUsedAt: null }]);
    expect(await auth.listApiKeys('other-workspace')).toEqual([]);
    await expect(auth.createApiKey('default', '  ')).rejects.toMatchObject({ status: 400 });
  });

  it('authenticates keys, records their use, and refuses revoked ones', async () => {
    const { id, key } = await auth.createApiKey('default', 'deploy');
    expect(await auth.authenticateApiKey(key)).toEqual({ workspaceId: 'default', apiKeyId: id });
    expect(await auth.authenticateApiKey(`${key}x`)).toBeUndefined();
    expect(await auth.authenticateApiKey('not-a-key')).toBeUndefined();
    const used = (await auth.listApiKeys('default')).find((k) => k.id === id);
    expect(used?.lastUsedAt).not.toBeNull();

    await expect(auth.revokeApiKey('other-workspace', id)).rejects.toBeInstanceOf(NotFoundError);
    await auth.revokeApiKey('default', id);
    expect(await auth.authenticateApiKey(key)).toBeUndefined();
    expect((await auth.listApiKeys('default')).some((k) => k.id === id)).toBe(false);
    await expect(auth.revokeApiKey('default', id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('serves repeat checks from memory until the cache period ends', async () => {
    const other = createAuthService(db.knex, { bcryptCost: 4, now, apiKeyCacheMs: 10_000 });
    const { id, key } = await auth.createApiKey('default', 'hot path');
    expect(await other.authenticateApiKey(key)).toBeDefined();
    // Revoked through another instance (as in another process): this one trusts its cache briefly.
    await auth.revokeApiKey('default', id);
    expect(await other.authenticateApiKey(key)).toBeDefined();
    clock += 10_001;
    expect(await other.authenticateApiKey(key)).toBeUndefined();
  });
});
