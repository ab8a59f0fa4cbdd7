import { createHash, randomBytes, randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { SwitchyardConfig } from '../config/env.js';
import { AppError, ConflictError, NotFoundError, TooManyRequestsError, UnauthorizedError } from '../errors.js';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';
import type { AuthService, Principal } from './types.js';

/** The one workspace until multi-user workspaces land (DESIGN §8). */
export const DEFAULT_WORKSPACE_ID = 'default';
/** Every API key starts with this, so a leaked key is recognisable by secret scanners. */
export const API_KEY_PREFIX = 'sy_';

export interface AuthServiceOptions {
  /** Session lifetime. Default: 14 days. */
  sessionTtlMs?: number;
  /** bcrypt cost factor. Default: 10 (tests may lower it to 4 for speed). */
  bcryptCost?: number;
  /** How long a verified API key is trusted from memory before the database is asked again. Default: 30 000 ms. */
  apiKeyCacheMs?: number;
  /** API keys cached at once. Default: 1000. */
  apiKeyCacheSize?: number;
  /** Failed logins allowed per client + email within `loginWindowMs`. Default: 10. */
  loginFailureLimit?: number;
  /** Window of the failed-login limit. Default: 15 minutes. */
  loginWindowMs?: number;
  /** Clock, for tests. Default: `Date.now`. */
  now?: () => number;
}

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email({ error: 'a valid email address is required' })),
  // bcrypt ignores everything after 72 bytes; refusing longer passwords beats silently truncating them.
  password: z.string().min(8, 'password must be at least 8 characters')
    .refine((p) => Buffer.byteLength(p, 'utf8') <= 72, 'password must be at most 72 bytes'),
});

const apiKeyNameSchema = z.string().trim().min(1, 'name is required').max(100, 'name must be at most 100 characters');

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function invalid(error: z.ZodError): AppError {
  const details = error.issues.map((issue) => ({ path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: issue.message }));
  return new AppError(400, 'validation_failed', details.map((d) => d.message).join('; '), details);
}

function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

interface CachedKey {
  principal: Principal;
  expiresAt: number;
}

/**
 * Owner setup, password login with sessions, and API keys. Secrets (session tokens, API keys) are
 * stored only as SHA-256 hashes: they are long random values, so a fast hash is enough and keeps
 * the per-request check cheap, while passwords get bcrypt.
 */
export function createAuthService(knex: Knex, options: AuthServiceOptions = {}): AuthService {
  const sessionTtlMs = options.sessionTtlMs ?? 14 * 24 * 60 * 60 * 1000;
  const bcryptCost = options.bcryptCost ?? 10;
  const apiKeyCacheMs = options.apiKeyCacheMs ?? 30_000;
  const apiKeyCacheSize = options.apiKeyCacheSize ?? 1000;
  const now = options.now ?? Date.now;
  const loginLimiter: RateLimiter = createRateLimiter({
    limit: options.loginFailureLimit ?? 10,
    windowMs: options.loginWindowMs ?? 15 * 60 * 1000,
    now,
  });
  /** key hash → principal. Only hits are cached: caching misses would let junk keys fill memory. */
  const keyCache = new Map<string, CachedKey>();
  // Compared against when the email is unknown, so a miss costs what a hit does. Made on the first
  // login attempt (hit or miss alike) rather than at start: hashing blocks ~170 ms, and every
  // process — workers and CLI runs too — paid it at start.
  let dummyHash: string | undefined;

  function cacheKey(hash: string, principal: Principal): void {
    keyCache.delete(hash);
    keyCache.set(hash, { principal, expiresAt: now() + apiKeyCacheMs });
    while (keyCache.size > apiKeyCacheSize) {
      const oldest = keyCache.keys().next().value;
      if (oldest === undefined) break;
      keyCache.delete(oldest);
    }
  }

  return {
    async needsSetup() {
      const row = await knex('users').first('id');
      return row === undefined;
    },

    async setupOwner(input) {
      const parsed = credentialsSchema.safeParse(input);
      if (!parsed.success) throw invalid(parsed.error);
      const passwordHash = await bcrypt.hash(parsed.data.password, bcryptCost);
      const userId = randomUUID();
      await knex.transaction(async (trx) => {
        // Two setup requests racing must not both create an owner: the lock serialises them.
        await trx.raw('lock table ?? in share row exclusive mode', ['users']);
        const existing = await trx('users').first('id');
        if (existing) throw new ConflictError('an owner already exists; sign in instead');
        await trx('workspaces').insert({ id: DEFAULT_WORKSPACE_ID, name: 'Default workspace' }).onConflict('id').ignore();
        await trx('users').insert({
          id: userId, workspace_id: DEFAULT_WORKSPACE_ID, email: parsed.data.email, password_hash: passwordHash, role: 'owner',
        });
      });
      return { userId };
    },

    async login(input) {
      const email = String(input.email ?? '').trim().toLowerCase();
      const limitKey = `${input.clientKey}\u0000${email}`;
      const state = loginLimiter.check(limitKey);
      if (!state.allowed) {
        throw new TooManyRequestsError(`too many failed sign-ins; try again in ${state.retryAfterSeconds} s`, state.retryAfterSeconds);
      }
      const dummy = (dummyHash ??= bcrypt.hashSync(randomBytes(16).toString('hex'), bcryptCost));
      const user = email ? await knex('users').where({ email }).first('id', 'workspace_id', 'password_hash') : undefined;
      const ok = await bcrypt.compare(String(input.password ?? ''), user?.password_hash ?? dummy);
      if (!user || !ok) {
        loginLimiter.record(limitKey);
        throw new UnauthorizedError('email or password is wrong');
      }
      loginLimiter.reset(limitKey);
      const sessionToken = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now() + sessionTtlMs);
      // Expired sessions of this user are swept here rather than by a timer: logins are rare.
      await knex('sessions').where({ user_id: user.id }).andWhere('expires_at', '<=', new Date(now())).delete();
      await knex('sessions').insert({
        id_hash: sha256(sessionToken), user_id: user.id, workspace_id: user.workspace_id, expires_at: expiresAt,
      });
      return { sessionToken, expiresAt };
    },

    async logout(sessionToken) {
      if (!sessionToken) return;
      await knex('sessions').where({ id_hash: sha256(sessionToken) }).delete();
    },

    async getUser(userId) {
      const row = await knex('users').where({ id: userId }).first('id', 'email', 'role');
      return row ? { id: row.id, email: row.email, role: row.role } : undefined;
    },

    async authenticateSession(sessionToken) {
      if (!sessionToken || sessionToken.length > 200) return undefined;
      const row = await knex('sessions')
        .where({ id_hash: sha256(sessionToken) })
        .andWhere('expires_at', '>', new Date(now()))
        .first('user_id', 'workspace_id');
      return row ? { workspaceId: row.workspace_id, userId: row.user_id } : undefined;
    },

    async authenticateApiKey(key) {
      if (!key || !key.startsWith(API_KEY_PREFIX) || key.length > 200) return undefined;
      const hash = sha256(key);
      const cached = keyCache.get(hash);
      if (cached && cached.expiresAt > now()) return cached.principal;
      if (cached) keyCache.delete(hash);
      // One statement both checks the key is live and records its use, once per cache period.
      const rows: { id: string; workspace_id: string }[] = await knex('api_keys')
        .where({ key_hash: hash })
        .whereNull('revoked_at')
        .update({ last_used_at: new Date(now()) })
        .returning(['id', 'workspace_id']);
      const row = rows[0];
      if (!row) return undefined;
      const principal: Principal = { workspaceId: row.workspace_id, apiKeyId: row.id };
      cacheKey(hash, principal);
      return principal;
    },

    async createApiKey(workspaceId, name) {
      const parsed = apiKeyNameSchema.safeParse(name);
      if (!parsed.success) throw invalid(parsed.error);
      const id = randomUUID();
      const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
      const prefix = key.slice(0, 10);
      await knex('api_keys').insert({ id, workspace_id: workspaceId, name: parsed.data, key_hash: sha256(key), prefix });
      return { id, key, prefix };
    },

    async listApiKeys(workspaceId) {
      const rows = await knex('api_keys')
        .where({ workspace_id: workspaceId })
        .whereNull('revoked_at')
        .orderBy('created_at', 'desc')
        .select('id', 'name', 'prefix', 'created_at', 'last_used_at');
      return rows.map((r) => ({
        id: r.id, name: r.name, prefix: r.prefix, createdAt: iso(r.created_at), lastUsedAt: r.last_used_at ? iso(r.last_used_at) : null,
      }));
    },

    async revokeApiKey(workspaceId, id) {
      const count = await knex('api_keys').where({ workspace_id: workspaceId, id }).whereNull('revoked_at').update({ revoked_at: new Date(now()) });
      if (count === 0) throw new NotFoundError('API key', id);
      // Other processes stop trusting the key when their cache entry expires (apiKeyCacheMs).
      for (const [hash, entry] of keyCache) {
        if (entry.principal.apiKeyId === id) keyCache.delete(hash);
      }
    },
  };
}

/**
 * Creates the owner from SWITCHYARD_OWNER_EMAIL / SWITCHYARD_OWNER_PASSWORD at start, so a fresh
 * deployment can be used without the setup screen. Does nothing when they are unset or an owner
 * exists already.
 */
export async function ensureOwnerFromEnv(
  auth: Pick<AuthService, 'needsSetup' | 'setupOwner'>,
  config: Pick<SwitchyardConfig, 'ownerEmail' | 'ownerPassword'>,
): Promise<'created' | 'exists' | 'skipped'> {
  if (!config.ownerEmail || !config.ownerPassword) return 'skipped';
  if (!(await auth.needsSetup())) return 'exists';
  try {
    await auth.setupOwner({ email: config.ownerEmail, password: config.ownerPassword });
    return 'created';
  } catch (error) {
    // Another process starting at the same moment may have won the race; that is fine.
    if (error instanceof ConflictError) return 'exists';
    throw error;
  }
}
