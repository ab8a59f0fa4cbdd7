import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { CredentialKindDefinition, CredentialValue, HttpClient } from '@switchyard/sdk';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { createHttpClient } from '../net/index.js';
import type { CredentialDetail, CredentialKindEntry, CredentialService, CredentialSummary } from '../services/types.js';
import { choiceFields, mergeFields, parseFields, visibleFields } from './credential-fields.js';
import { decryptSecret, encryptSecret } from './crypto.js';
import { Redactor } from './redact.js';

/** A connection test gives up after this long: the user is waiting on the page. */
const TEST_TIMEOUT_MS = 15_000;

/** The credential service plus what only the executor may call. */
export interface VaultCredentialService extends CredentialService {
  /**
   * Decrypts the credentials with these ids in this workspace, for the executor only. Ids that do not
   * exist (or belong to another workspace) are simply absent from the map. `db`: the transaction a
   * caller holds (trigger activation): on a one-connection database such as the embedded PGlite, a
   * read outside it would wait for that connection forever. Default: the service's own connection.
   */
  loadCredentials(workspaceId: string, ids: readonly string[], db?: Knex): Promise<Map<string, CredentialValue>>;
  /** The registered kinds with their JSON Schemas (`GET /api/credential-kinds`). */
  kinds(): CredentialKindEntry[];
  /** A kind's fields picked from a fixed public set, which the redactor does not learn (`choiceFields`); empty for an unknown kind. */
  choiceFields(kind: string): ReadonlySet<string>;
}

interface CredentialRow {
  id: string;
  workspace_id: string;
  name: string;
  kind: string;
  secret: string;
  created_at: Date | string;
  updated_at: Date | string;
}

const MAX_NAME_LENGTH = 200;

/** Options of {@link createCredentialService}. */
export interface CredentialServiceOptions {
  /**
   * The client connection tests use: the SSRF-guarded one with `config.outboundAllow`, since a test URL
   * is typed by a user. Default: a guarded client with nothing allowed.
   */
  http?: HttpClient;
  /**
   * Called after an edit of a credential's fields is committed, so caches of decrypted values (the
   * webhook receiver's, running executions') drop it — in every process. Default: nothing to tell.
   */
  onFieldsChanged?: (workspaceId: string, id: string) => Promise<void>;
}

function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

function summary(row: Omit<CredentialRow, 'secret' | 'workspace_id'>): CredentialSummary {
  return { id: row.id, name: row.name, kind: row.kind, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at) };
}

/** The ciphertext is bound to its row: a `secret` copied to another row or workspace will not decrypt. */
function aadFor(workspaceId: string, id: string): string {
  return `credential:${workspaceId}:${id}`;
}

function checkName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (!trimmed || trimmed.length > MAX_NAME_LENGTH) {
    throw new ValidationError('invalid credential', [
      { code: 'invalid_name', message: `name must be 1–${MAX_NAME_LENGTH} characters`, path: ['name'] },
    ]);
  }
  return trimmed;
}

/**
 * Credentials encrypted at rest with AES-256-GCM under `key`. Every query filters by workspace; no
 * method but {@link VaultCredentialService.loadCredentials} ever returns a secret.
 */
export function createCredentialService(
  knex: Knex,
  key: Buffer,
  kinds: Readonly<Record<string, CredentialKindDefinition>>,
  options: CredentialServiceOptions = {},
): VaultCredentialService {
  const table = () => knex<CredentialRow>('credentials');
  const http = options.http ?? createHttpClient();
  const columns = ['id', 'name', 'kind', 'created_at', 'updated_at'] as const;

  async function find(workspaceId: string, id: string): Promise<CredentialSummary> {
    const row = await table().select(...columns).where({ workspace_id: workspaceId, id }).first();
    if (!row) throw new NotFoundError('credential', id);
    return summary(row);
  }

  async function findRow(db: Knex, workspaceId: string, id: string, forUpdate = false): Promise<CredentialRow> {
    const q = db<CredentialRow>('credentials').where({ workspace_id: workspaceId, id });
    const row = await (forUpdate ? q.forUpdate() : q).first();
    if (!row) throw new NotFoundError('credential', id);
    return row;
  }

  /** The kind of a stored row; a kind no longer registered (its plugin removed) cannot be edited or tested. */
  function kindOf(row: Pick<CredentialRow, 'kind'>, action: string): CredentialKindDefinition {
    const kind = kinds[row.kind];
    if (!kind) throw new AppError(400, 'unknown_kind', `credentials of kind "${row.kind}" cannot be ${action}: the kind is not installed`);
    return kind;
  }

  /**
   * Serialises name checks per workspace (no unique index on (workspace_id, name) yet): a transaction
   * advisory lock, released at commit, so two creates of the same name cannot both pass the check.
   */
  async function lockNames(trx: Knex.Transaction, workspaceId: string, name: string, exceptId?: string): Promise<void> {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`credential-names:${workspaceId}`]);
    const clash = await trx<CredentialRow>('credentials')
      .select('id')
      .where({ workspace_id: workspaceId })
      .whereRaw('lower(name) = lower(?)', [name])
      .modify((q) => { if (exceptId) q.whereNot('id', exceptId); })
      .first();
    if (clash) throw new ConflictError(`a credential named "${name}" already exists in this workspace`, [{ code: 'duplicate_name', name }]);
  }

  function decryptFields(workspaceId: string, row: Pick<CredentialRow, 'id' | 'secret'>): Record<string, string> {
    return z.record(z.string(), z.string()).parse(JSON.parse(decryptSecret(key, row.secret, aadFor(workspaceId, row.id))));
  }

  return {
    async list(workspaceId) {
      const rows = await table().select(...columns).where({ workspace_id: workspaceId }).orderBy([{ column: 'name' }, { column: 'id' }]);
      return rows.map(summary);
    },

    async create(workspaceId, input) {
      const name = checkName(input.name);
      const kind = kinds[input.kind];
      if (!kind) {
        const known = Object.keys(kinds).sort().join(', ');
        throw new ValidationError(`unknown credential kind "${input.kind}"`, [
          { code: 'unknown_kind', message: `unknown credential kind "${input.kind}"; known kinds: ${known}`, path: ['kind'] },
        ]);
      }
      const fields = parseFields(kind, input.data);
      const id = randomUUID();
      const secret = encryptSecret(key, JSON.stringify(fields), aadFor(workspaceId, id));
      const row = await knex.transaction(async (trx) => {
        await lockNames(trx, workspaceId, name);
        const [inserted] = await trx<CredentialRow>('credentials')
          .insert({ id, workspace_id: workspaceId, name, kind: input.kind, secret })
          .returning([...columns]);
        return inserted;
      });
      if (!row) throw new Error('credential insert returned no row');
      return summary(row);
    },

    async get(workspaceId, id): Promise<CredentialDetail> {
      const row = await findRow(knex, workspaceId, id);
      return { ...summary(row), ...visibleFields(kinds[row.kind], decryptFields(workspaceId, row)) };
    },

    async update(workspaceId, id, input) {
      const name = input.name === undefined ? undefined : checkName(input.name);
      const patch = input.data;
      const row = await knex.transaction(async (trx) => {
        if (name !== undefined) await lockNames(trx, workspaceId, name, id);
        const changes: Partial<CredentialRow> = name === undefined ? {} : { name };
        if (patch !== undefined) {
          // Locked: two edits of different fields must not each write back the other's old value.
          const current = await findRow(trx, workspaceId, id, true);
          const fields = parseFields(kindOf(current, 'edited'), mergeFields(decryptFields(workspaceId, current), patch));
          // Same id, so the same additional data: flows bound to it stay bound.
          changes.secret = encryptSecret(key, JSON.stringify(fields), aadFor(workspaceId, id));
        }
        const [updated] = await trx<CredentialRow>('credentials')
          .where({ workspace_id: workspaceId, id })
          .update({ ...changes, updated_at: knex.fn.now() })
          .returning([...columns]);
        return updated;
      });
      if (!row) throw new NotFoundError('credential', id);
      if (patch !== undefined) await options.onFieldsChanged?.(workspaceId, id);
      return summary(row);
    },

    async remove(workspaceId, id) {
      await find(workspaceId, id);
      // A flow uses a credential when its document's `credentials` slot map points at the id.
      const users = await knex('flows')
        .select<{ id: string; name: string }[]>('id', 'name')
        .where({ workspace_id: workspaceId })
        .whereNull('deleted_at')
        .whereRaw(
          `exists (select 1 from jsonb_each(case when jsonb_typeof(document->'credentials') = 'object'
             then document->'credentials' else '{}'::jsonb end) as slot where slot.value->>'id' = ?)`,
          [id],
        )
        .orderBy('name');
      if (users.length > 0) {
        const names = users.map((f) => `"${f.name}"`).join(', ');
        throw new ConflictError(`credential is used by ${users.length === 1 ? 'flow' : 'flows'} ${names}; change ${users.length === 1 ? 'it' : 'them'} first`,
          users.map((f) => ({ flowId: f.id, name: f.name })));
      }
      await table().where({ workspace_id: workspaceId, id }).delete();
      // Every process drops what it cached for the account (the gateway's signing secret, a webhook's
      // HMAC key), so a deleted credential stops verifying deliveries at once, not when a cache expires.
      await options.onFieldsChanged?.(workspaceId, id);
    },

    async loadCredentials(workspaceId, ids, db = knex) {
      const result = new Map<string, CredentialValue>();
      if (ids.length === 0) return result;
      const rows = await db<CredentialRow>('credentials').select('id', 'kind', 'secret').where({ workspace_id: workspaceId }).whereIn('id', [...new Set(ids)]);
      for (const row of rows) result.set(row.id, { kind: row.kind, fields: decryptFields(workspaceId, row) });
      return result;
    },

    async test(workspaceId, id, patch) {
      const row = await findRow(knex, workspaceId, id);
      const kind = kinds[row.kind];
      if (!kind?.test) throw new AppError(400, 'not_testable', `credentials of kind "${row.kind}" have no connection test`);
      const stored: CredentialValue = { kind: row.kind, fields: decryptFields(workspaceId, row) };
      // Edited values are tried as they would be saved (merged, validated), and nothing is stored.
      const credential: CredentialValue = patch === undefined ? stored : { kind: row.kind, fields: parseFields(kind, mergeFields(stored.fields, patch)) };
      // A kind's message (or an error's) could echo a field back; the secrets are removed before it leaves.
      const redactor = new Redactor().learnCredential(credential, { choiceFields: choiceFields(kind) }).learnCredential(stored, { choiceFields: choiceFields(kind) });
      let outcome: { ok: boolean; message: string };
      try {
        outcome = await kind.test(credential.fields, { http, signal: AbortSignal.timeout(TEST_TIMEOUT_MS) });
      } catch (error) {
        outcome = { ok: false, message: `Could not connect: ${error instanceof Error ? error.message : String(error)}` };
      }
      return { ok: outcome.ok === true, message: redactor.redactString(String(outcome.message)) };
    },

    choiceFields(kind) {
      const definition = Object.hasOwn(kinds, kind) ? kinds[kind] : undefined;
      return definition ? choiceFields(definition) : new Set();
    },

    kinds() {
      return Object.values(kinds).map((k) => ({
        kind: k.kind,
        title: k.title,
        ...(k.description ? { description: k.description } : {}),
        schema: z.toJSONSchema(k.schema, { io: 'input' }),
        testable: k.test !== undefined,
        ...(k.inbound ? { inbound: true as const } : {}),
      }));
    },
  };
}
