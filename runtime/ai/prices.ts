import type { Knex } from 'knex';
import { z } from 'zod';
import type { ModelPrice } from '@switchyard/sdk';
import { ValidationError } from '../errors.js';

/** One row of the price table, as the API reads and writes it. */
export const modelPriceSchema = z.object({
  model: z.string().trim().min(1, 'name the model').max(200),
  /** USD per million prompt tokens. */
  input: z.number().min(0).max(10_000),
  /** USD per million completion tokens. */
  output: z.number().min(0).max(10_000),
});
export type ModelPriceRow = z.infer<typeof modelPriceSchema>;

/** `PUT /api/ai/prices`: the whole table (what the settings page saves). */
export const priceTableInput = z.object({
  prices: z.array(modelPriceSchema).max(500),
}).superRefine((table, ctx) => {
  const seen = new Set<string>();
  table.prices.forEach((row, i) => {
    if (seen.has(row.model)) ctx.addIssue({ code: 'custom', path: ['prices', i, 'model'], message: `"${row.model}" is listed twice` });
    seen.add(row.model);
  });
});

/** The workspace's model price table. */
export interface AiPriceService {
  list(workspaceId: string): Promise<ModelPriceRow[]>;
  /** Replaces the table with `input` (validated here). */
  replace(workspaceId: string, input: unknown): Promise<ModelPriceRow[]>;
  /** The table by model for AI steps: cached a few seconds per process, as variables are. */
  snapshot(workspaceId: string): Promise<Readonly<Record<string, ModelPrice>>>;
}

const SNAPSHOT_MS = 5000;

export function createAiPriceService(knex: Knex): AiPriceService {
  const cache = new Map<string, { at: number; table: Record<string, ModelPrice> }>();
  const list = async (workspaceId: string): Promise<ModelPriceRow[]> => {
    const rows: { model: string; input_per_million: number; output_per_million: number }[] = await knex('ai_model_prices')
      .where({ workspace_id: workspaceId }).orderBy('model').select('model', 'input_per_million', 'output_per_million');
    return rows.map((r) => ({ model: r.model, input: Number(r.input_per_million), output: Number(r.output_per_million) }));
  };
  return {
    list,
    async replace(workspaceId, input) {
      const parsed = priceTableInput.safeParse(input);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => {
          const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
          return { code: 'invalid_price', path, message: `${path.join('.') || '(body)'}: ${issue.message}` };
        });
        throw new ValidationError(`the price table is not valid: ${problems.map((p) => p.message).join('; ')}`, problems);
      }
      await knex.transaction(async (trx) => {
        await trx('ai_model_prices').where({ workspace_id: workspaceId }).delete();
        if (parsed.data.prices.length > 0) {
          await trx('ai_model_prices').insert(parsed.data.prices.map((p) => ({
            workspace_id: workspaceId, model: p.model, input_per_million: p.input, output_per_million: p.output,
          })));
        }
      });
      cache.delete(workspaceId);
      return list(workspaceId);
    },
    async snapshot(workspaceId) {
      const hit = cache.get(workspaceId);
      // Another process may have saved a new table: a few seconds of staleness instead of a query per AI step.
      if (hit && Date.now() - hit.at < SNAPSHOT_MS) return hit.table;
      const table: Record<string, ModelPrice> = {};
      for (const row of await list(workspaceId)) table[row.model] = { input: row.input, output: row.output };
      cache.set(workspaceId, { at: Date.now(), table });
      return table;
    },
  };
}
