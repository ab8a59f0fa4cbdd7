import type { Knex } from 'knex';

/** Tokens and cost of an execution's AI steps (`GET /api/executions/:id` → `aiUsage`). */
export interface ExecutionAiUsage {
  /** AI steps that reported usage. */
  steps: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** USD, summed over the steps that have a price. */
  cost: number;
  currency: 'USD';
  /** Steps whose model has no price in the table: their tokens count, their cost is unknown. */
  unpricedSteps: number;
}

/**
 * Sums the `usage` every AI step recorded (on its output message, or on its error when it failed
 * after spending tokens, e.g. a structured answer that never matched). Null when there is none.
 */
export async function executionAiUsage(knex: Knex, executionId: string): Promise<ExecutionAiUsage | null> {
  const result = await knex.raw(`
    with u as (
      select m.value->'usage' as usage
        from execution_steps s
        cross join lateral jsonb_each(case when jsonb_typeof(s.output) = 'object' then s.output else '{}'::jsonb end) m
       where s.execution_id = ? and s.node_type like 'ai.%' and jsonb_typeof(m.value->'usage') = 'object'
      union all
      select s.error->'details'->'usage'
        from execution_steps s
       where s.execution_id = ? and s.node_type like 'ai.%' and jsonb_typeof(s.error->'details'->'usage') = 'object'
    )
    select count(*)::int as steps,
           coalesce(sum((usage->>'promptTokens')::bigint), 0)::bigint as prompt,
           coalesce(sum((usage->>'completionTokens')::bigint), 0)::bigint as completion,
           coalesce(sum((usage->>'totalTokens')::bigint), 0)::bigint as total,
           coalesce(sum((usage->>'cost')::float8), 0)::float8 as cost,
           (count(*) filter (where usage->'unpriced' is not null))::int as unpriced
      from u`, [executionId, executionId]);
  const row = (result.rows as { steps: number; prompt: string; completion: string; total: string; cost: number; unpriced: number }[])[0];
  if (!row || row.steps === 0) return null;
  return {
    steps: row.steps, promptTokens: Number(row.prompt), completionTokens: Number(row.completion), totalTokens: Number(row.total),
    cost: Math.round(Number(row.cost) * 1e8) / 1e8, currency: 'USD', unpricedSteps: row.unpriced,
  };
}
