import type { CredentialValue } from '@switchyard/sdk';

/** How long decrypted credentials stay in a worker's memory; an edit or delete drops them at once. */
const CREDENTIAL_TTL_MS = 30_000;
/** Credentials kept at once; past it the cache starts over (a bound, not an LRU). */
const MAX_CACHED = 10_000;

export interface NodeCredentialCacheOptions {
  /** Loads and decrypts credentials of a workspace (the vault's `loadCredentials`). */
  load(workspaceId: string, ids: string[]): Promise<Map<string, CredentialValue>>;
  /** How many credential edits this process has learnt of (`CredentialChanges.version`). */
  version(): number;
  /** How long a loaded credential is reused, in ms. Default: 30 000. */
  ttlMs?: number;
}

/**
 * Credentials for steps, kept decrypted for a short while across executions: each run used to pay
 * for a query and an AES-GCM decrypt plus a zod parse per credential (~0.4 ms of worker CPU per
 * echoed channel message), though an account's fields change rarely. The same rules as the
 * gateway's account cache (runtime/gateway/accounts.ts): an edit or delete, here or in another
 * process, drops the id at once (`forget`, from `CredentialChanges`), and the TTL bounds what a
 * change message lost with a Redis reconnect could leave stale. Every call hands out copies, so a
 * run never sees what another run did to its values.
 */
export class NodeCredentialCache {
  /** By credential id (ids are unique across workspaces; the workspace is checked on each hit). */
  private readonly cache = new Map<string, { workspaceId: string; value: CredentialValue; at: number }>();

  constructor(private readonly options: NodeCredentialCacheOptions) {}

  async load(workspaceId: string, ids: string[]): Promise<Map<string, CredentialValue>> {
    const ttl = this.options.ttlMs ?? CREDENTIAL_TTL_MS;
    const now = Date.now();
    const result = new Map<string, CredentialValue>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const cached = this.cache.get(id);
      if (cached && cached.workspaceId === workspaceId && now - cached.at < ttl) result.set(id, copy(cached.value));
      else missing.push(id);
    }
    if (missing.length === 0) return result;
    // An edit that lands while the query runs may not be in what it returns: such a result serves
    // this call only and is not kept.
    const version = this.options.version();
    const loaded = await this.options.load(workspaceId, missing);
    const keep = this.options.version() === version;
    if (keep && this.cache.size + loaded.size > MAX_CACHED) this.cache.clear();
    for (const [id, value] of loaded) {
      if (keep) this.cache.set(id, { workspaceId, value: copy(value), at: now });
      result.set(id, value);
    }
    return result;
  }

  /** Drops a credential that was edited or deleted. */
  forget(credentialId: string): void {
    this.cache.delete(credentialId);
  }
}

function copy(value: CredentialValue): CredentialValue {
  return { ...value, fields: { ...value.fields } };
}
