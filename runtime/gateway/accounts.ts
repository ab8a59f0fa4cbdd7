import { createHmac } from 'node:crypto';
import type { Knex } from 'knex';
import type { CredentialKindDefinition, CredentialValue, InboundAccount, InboundHandler } from '@switchyard/sdk';

/** How long decrypted account fields stay in memory; an edit or delete drops them at once. */
const ACCOUNT_TTL_MS = 30_000;
/** How long an unknown id is remembered as unknown, so a scanner's guesses do not each cost a query. */
const MISSING_TTL_MS = 5_000;
/** Accounts kept at once; past it the cache starts over (a bound, not an LRU: accounts are few). */
const MAX_CACHED = 10_000;

/** A connected account as the gateway serves it. */
export interface GatewayAccount {
  workspaceId: string;
  /** The credential's kind: the channel (`telegram`, `whatsapp`, …). */
  kind: string;
  handler: InboundHandler;
  account: InboundAccount;
}

export interface AccountDeps {
  knex: Knex;
  encryptionKey: Buffer;
  /** `SWITCHYARD_PUBLIC_URL`, without a trailing slash. */
  publicUrl: string;
  kinds: () => Readonly<Record<string, CredentialKindDefinition>>;
  /** `db`: a transaction the caller holds (see {@link AccountCache.forWorkspace}). Default: the service's connection. */
  loadCredentials(workspaceId: string, ids: string[], db?: Knex): Promise<Map<string, CredentialValue>>;
}

/** The account's callback URL: where its provider must deliver. */
export function callbackUrl(publicUrl: string, credentialId: string): string {
  return `${publicUrl}/inbound/${encodeURIComponent(credentialId)}`;
}

/**
 * The per-account secret (Telegram's `secret_token`, Meta's verify token): an HMAC of the id under
 * the encryption key, so nothing is stored and it survives restarts; 32 base64url characters.
 */
export function accountSecret(encryptionKey: Buffer, credentialId: string): string {
  return createHmac('sha256', encryptionKey).update(`inbound:${credentialId}`).digest('base64url').slice(0, 32);
}

/**
 * Loads accounts for the gateway's hot path: decrypted once and kept briefly (a delivery must not
 * pay for a decrypt), forgotten when the credential is edited or deleted.
 */
export class AccountCache {
  private readonly cache = new Map<string, { value: GatewayAccount | undefined; at: number }>();

  constructor(private readonly deps: AccountDeps) {}

  /** The account behind a callback URL, or undefined when the id is unknown or its kind takes no deliveries. */
  async get(credentialId: string): Promise<GatewayAccount | undefined> {
    const cached = this.cache.get(credentialId);
    const now = Date.now();
    if (cached && now - cached.at < (cached.value ? ACCOUNT_TTL_MS : MISSING_TTL_MS)) return cached.value;
    const value = await this.load(credentialId);
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(credentialId, { value, at: now });
    return value;
  }

  /**
   * An account of a known workspace (trigger lifecycle, inbox replies): not cached, always fresh.
   * `db`: the caller's transaction, read in when given (activation holds one; on the embedded
   * one-connection PGlite a read beside it would never get a connection). Default: the pool.
   */
  async forWorkspace(workspaceId: string, credentialId: string, db?: Knex): Promise<(GatewayAccount & { definition: CredentialKindDefinition }) | undefined> {
    const value = (await this.deps.loadCredentials(workspaceId, [credentialId], db)).get(credentialId);
    const definition = value ? this.deps.kinds()[value.kind] : undefined;
    if (!value || !definition) return undefined;
    return { workspaceId, kind: value.kind, handler: definition.inbound ?? NO_DELIVERIES, account: this.account(credentialId, value.fields), definition };
  }

  forget(credentialId: string): void {
    this.cache.delete(credentialId);
  }

  account(credentialId: string, fields: Record<string, string>): InboundAccount {
    return {
      credentialId, fields,
      secret: accountSecret(this.deps.encryptionKey, credentialId),
      callbackUrl: callbackUrl(this.deps.publicUrl, credentialId),
    };
  }

  private async load(credentialId: string): Promise<GatewayAccount | undefined> {
    // The id alone names the account (the URL carries no workspace): find its workspace, then decrypt.
    const row = await this.deps.knex('credentials').where({ id: credentialId }).first('workspace_id', 'kind');
    const handler = row ? this.deps.kinds()[row.kind]?.inbound : undefined;
    if (!row || !handler) return undefined;
    const value = (await this.deps.loadCredentials(row.workspace_id, [credentialId])).get(credentialId);
    if (!value) return undefined;
    return { workspaceId: row.workspace_id, kind: row.kind, handler, account: this.account(credentialId, value.fields) };
  }
}

/** For kinds without an inbound handler: refuses every delivery (their accounts have no callback URL). */
const NO_DELIVERIES: InboundHandler = {
  verify: () => ({ status: 403, reason: 'this kind of account takes no deliveries' }),
  parse: () => [],
};
