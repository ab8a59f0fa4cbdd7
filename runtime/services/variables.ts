import type { Knex } from 'knex';
import { AppError } from '../errors.js';
import type { VariableService } from './types.js';

const KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Workspace variables (`$vars`), with a short read cache for the executor's hot path. */
export function createVariableService(knex: Knex): VariableService & { snapshot(workspaceId: string): Promise<Record<string, string>> } {
  const cache = new Map<string, { at: number; values: Record<string, string> }>();
  return {
    async list(workspaceId) {
      return knex('variables').where({ workspace_id: workspaceId }).orderBy('key').select('key', 'value');
    },
    async set(workspaceId, key, value) {
      if (!KEY.test(key)) throw new AppError(400, 'invalid_key', 'variable names use letters, digits and _ and start with a letter or _');
      await knex('variables').insert({ workspace_id: workspaceId, key, value }).onConflict(['workspace_id', 'key']).merge(['value']);
      cache.delete(workspaceId);
    },
    async remove(workspaceId, key) {
      await knex('variables').where({ workspace_id: workspaceId, key }).delete();
      cache.delete(workspaceId);
    },
    async snapshot(workspaceId) {
      const hit = cache.get(workspaceId);
      // Another process may have changed them: a few seconds of staleness is the price of no query per run.
      if (hit && Date.now() - hit.at < 5000) return hit.values;
      const rows = await knex('variables').where({ workspace_id: workspaceId }).select('key', 'value');
      const values = Object.fromEntries(rows.map((r) => [r.key, r.value]));
      cache.set(workspaceId, { at: Date.now(), values });
      return values;
    },
  };
}
