import type { Knex } from 'knex';
import { z } from 'zod';
import { ValidationError } from '../errors.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
/** The longest range one report covers (days, both ends included). */
export const USAGE_MAX_DAYS = 366;

/** `YYYY-MM-DD` naming a day the calendar has (not 2026-02-30). */
const isDay = (v: string) => DAY.test(v) && !Number.isNaN(Date.parse(v)) && new Date(Date.parse(v)).toISOString().startsWith(v);
const day = (name: string) => z.string().refine(isDay, `${name} must be a date like 2026-12-01`);

/** `GET /api/usage` filters. */
export const aiUsageQuery = z.object({
  /** First UTC day included (`YYYY-MM-DD`). Default: 29 days before `to`. */
  from: day('from').optional(),
  /** Last UTC day included (`YYYY-MM-DD`). Default: today (UTC). */
  to: day('to').optional(),
  /** Only this flow's steps. Default: every flow. */
  flowId: z.string().min(1).max(200).optional(),
}).superRefine((q, ctx) => {
  // Zod still runs this when a field failed: compare only two real dates.
  if (!q.from || !q.to || !isDay(q.from) || !isDay(q.to)) return;
  if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: `from (${q.from}) is after to (${q.to})` });
  if ((Date.parse(q.to) - Date.parse(q.from)) / DAY_MS + 1 > USAGE_MAX_DAYS) {
    ctx.addIssue({ code: 'custom', path: ['from'], message: `at most ${USAGE_MAX_DAYS} days from from to to` });
  }
});
export type AiUsageQuery = z.infer<typeof aiUsageQuery>;

/** Tokens and cost of a set of AI steps. */
export interface AiUsageFigures {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** USD, summed over the steps that have a price. */
  cost: number;
  /** Steps (or, on a provider row, steps of that model) whose model had no price: tokens counted, cost unknown. */
  unpricedSteps: number;
  /** AI steps that recorded usage (a step and its error count once). */
  steps: number;
}

export interface AiUsageDayRow extends AiUsageFigures { day: string }
export interface AiUsageFlowRow extends AiUsageFigures { flowId: string; flowName: string | null }
export interface AiUsageProviderRow extends AiUsageFigures { provider: string; model: string }
export interface AiUsageRow extends AiUsageFigures { day: string; flowId: string; flowName: string | null; provider: string; model: string }

/** `GET /api/usage`. */
export interface AiUsageReport {
  /** First and last UTC day covered. */
  from: string;
  to: string;
  currency: 'USD';
  totals: AiUsageFigures;
  /** Every day of the range, oldest first, empty days too (the chart's bars). */
  byDay: AiUsageDayRow[];
  /** Flows with usage, most expensive first. */
  byFlow: AiUsageFlowRow[];
  /** Provider and model pairs with usage, most expensive first. */
  byProvider: AiUsageProviderRow[];
  /** Day × flow × provider × model. */
  rows: AiUsageRow[];
}

interface ReportRow {
  g: number; day: string | null; flow_id: string | null; flow_name: string | null; provider: string | null; model: string | null;
  prompt: string; completion: string; total: string; cost: number; unpriced_any: number; unpriced_model: number; steps: number;
}

// Each usage record (an output message's `usage`, or a failed step's `error.details.usage`) is split
// over the provider/model pairs of its attempts that reported tokens, when they add up to its total
// (they do for every AI node today); otherwise (cached answers, an agent's error naming only its last
// turn's attempts) the whole record goes to the answering model. A record that used one model keeps
// its exact cost; one split over several models shares its cost by tokens.
const REPORT_SQL = `
with u as (
  select s.execution_id || ':' || s.seq || ':' || m.key as rec, e.flow_id, f.name as flow_name,
         to_char((s.started_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day,
         m.value->'usage' as usage, m.value->'attempts' as attempts, m.value->>'provider' as provider, m.value->>'model' as model
    from executions e
    join execution_steps s on s.execution_id = e.id
    left join flows f on f.id = e.flow_id
    cross join lateral jsonb_each(case when jsonb_typeof(s.output) = 'object' then s.output else '{}'::jsonb end) m
   where e.workspace_id = :ws and s.workspace_id = :ws and e.created_at < :until and s.started_at >= :since and s.started_at < :until
     and (:flowId::text is null or e.flow_id = :flowId) and s.node_type like 'ai.%' and jsonb_typeof(m.value->'usage') = 'object'
  union all
  select s.execution_id || ':' || s.seq || ':error', e.flow_id, f.name,
         to_char((s.started_at at time zone 'UTC')::date, 'YYYY-MM-DD'),
         s.error->'details'->'usage', s.error->'details'->'attempts', null, null
    from executions e
    join execution_steps s on s.execution_id = e.id
    left join flows f on f.id = e.flow_id
   where e.workspace_id = :ws and s.workspace_id = :ws and e.created_at < :until and s.started_at >= :since and s.started_at < :until
     and (:flowId::text is null or e.flow_id = :flowId) and s.node_type like 'ai.%' and jsonb_typeof(s.error->'details'->'usage') = 'object'
),
parts as (
  select u.rec, x->>'provider' as provider, x->>'model' as model,
         sum(coalesce((x->'tokens'->>'promptTokens')::bigint, 0)) as prompt,
         sum(coalesce((x->'tokens'->>'completionTokens')::bigint, 0)) as completion,
         sum(coalesce((x->'tokens'->>'totalTokens')::bigint, 0)) as total
    from u cross join lateral jsonb_array_elements(case when jsonb_typeof(u.attempts) = 'array' then u.attempts else '[]'::jsonb end) x
   where jsonb_typeof(x->'tokens') = 'object'
   group by u.rec, 2, 3
),
whole as (select rec, sum(total) as total from parts group by rec),
split as (
  select u.rec, u.flow_id, u.flow_name, u.day, u.usage, coalesce(p.provider, 'unknown') as provider, coalesce(p.model, 'unknown') as model,
         p.prompt, p.completion, p.total, coalesce((u.usage->>'cost')::float8, 0) * p.total / w.total as cost
    from u join whole w on w.rec = u.rec join parts p on p.rec = u.rec
   where w.total > 0 and w.total = coalesce((u.usage->>'totalTokens')::bigint, 0)
  union all
  select u.rec, u.flow_id, u.flow_name, u.day, u.usage,
         coalesce(u.provider, (u.attempts -> -1)->>'provider', 'unknown'), coalesce(u.model, (u.attempts -> -1)->>'model', 'unknown'),
         coalesce((u.usage->>'promptTokens')::bigint, 0), coalesce((u.usage->>'completionTokens')::bigint, 0),
         coalesce((u.usage->>'totalTokens')::bigint, 0), coalesce((u.usage->>'cost')::float8, 0)
    from u left join whole w on w.rec = u.rec
   where not coalesce(w.total > 0 and w.total = coalesce((u.usage->>'totalTokens')::bigint, 0), false)
)
select grouping(day, flow_id, provider, model)::int as g, day, flow_id, max(flow_name) as flow_name, provider, model,
       sum(prompt)::bigint as prompt, sum(completion)::bigint as completion, sum(total)::bigint as total, coalesce(sum(cost), 0)::float8 as cost,
       (count(distinct rec) filter (where usage->'unpriced' is not null))::int as unpriced_any,
       (count(distinct rec) filter (where jsonb_typeof(usage->'unpriced') = 'array' and (jsonb_exists(usage->'unpriced', model) or model = 'unknown')))::int as unpriced_model,
       count(distinct rec)::int as steps
  from split
 group by grouping sets ((day, flow_id, provider, model), (day), (flow_id), (provider, model), ())`;

/** `grouping()` bits: 8 = day, 4 = flow, 2 = provider, 1 = model (set when not grouped). */
const G = { ROW: 0, DAY: 7, FLOW: 11, PROVIDER: 12, TOTAL: 15 } as const;

const money = (n: number) => Math.round(n * 1e8) / 1e8;

function figures(row: ReportRow | undefined, perModel = false): AiUsageFigures {
  if (!row) return { promptTokens: 0, completionTokens: 0, totalTokens: 0, cost: 0, unpricedSteps: 0, steps: 0 };
  return {
    promptTokens: Number(row.prompt), completionTokens: Number(row.completion), totalTokens: Number(row.total),
    cost: money(Number(row.cost)), unpricedSteps: perModel ? row.unpriced_model : row.unpriced_any, steps: row.steps,
  };
}

const byCost = (a: AiUsageFigures, b: AiUsageFigures) => b.cost - a.cost || b.totalTokens - a.totalTokens;

/** `runtime.aiUsage`: the Usage page's figures. */
export interface AiUsageService {
  /** Tokens and cost per day, flow and provider/model over `query`'s range (default: the last 30 days). */
  report(workspaceId: string, query: AiUsageQuery): Promise<AiUsageReport>;
}

export function createAiUsageService(knex: Knex): AiUsageService {
  return { report: (workspaceId, query) => aiUsageReport(knex, workspaceId, query) };
}

/**
 * Tokens and cost of the workspace's AI steps per UTC day, flow and provider/model, from the
 * `usage` each step recorded (its output messages, or its error when it failed after spending
 * tokens), in one aggregating query. A step belongs to the day it started.
 */
export async function aiUsageReport(knex: Knex, workspaceId: string, query: AiUsageQuery, now = new Date()): Promise<AiUsageReport> {
  const to = query.to ?? now.toISOString().slice(0, 10);
  const from = query.from ?? new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
  // The query schema compares from and to when both are given; a lone from is checked against today here.
  if (from > to) throw new ValidationError(`from (${from}) is after to (${to})`, [{ code: 'invalid_range', path: ['query', 'from'], message: `from (${from}) is after to (${to})` }]);
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS + 1 > USAGE_MAX_DAYS) {
    throw new ValidationError(`at most ${USAGE_MAX_DAYS} days from from to to`, [{ code: 'invalid_range', path: ['query', 'from'], message: `at most ${USAGE_MAX_DAYS} days from from to to` }]);
  }
  const until = new Date(Date.parse(to) + DAY_MS);
  const result = await knex.raw(REPORT_SQL, { ws: workspaceId, since: new Date(Date.parse(from)), until, flowId: query.flowId ?? null });
  const rows = result.rows as ReportRow[];
  const pick = (g: number) => rows.filter((r) => r.g === g);

  const days = new Map(pick(G.DAY).map((r) => [r.day!, r]));
  const byDay: AiUsageDayRow[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += DAY_MS) {
    const d = new Date(t).toISOString().slice(0, 10);
    byDay.push({ day: d, ...figures(days.get(d)) });
  }
  return {
    from, to, currency: 'USD', totals: figures(pick(G.TOTAL)[0]), byDay,
    byFlow: pick(G.FLOW).map((r) => ({ flowId: r.flow_id!, flowName: r.flow_name, ...figures(r) })).sort(byCost),
    byProvider: pick(G.PROVIDER).map((r) => ({ provider: r.provider!, model: r.model!, ...figures(r, true) })).sort(byCost),
    rows: pick(G.ROW).map((r) => ({ day: r.day!, flowId: r.flow_id!, flowName: r.flow_name, provider: r.provider!, model: r.model!, ...figures(r, true) }))
      .sort((a, b) => a.day.localeCompare(b.day) || byCost(a, b)),
  };
}
