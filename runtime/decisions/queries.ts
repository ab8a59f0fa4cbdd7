import type { Knex } from 'knex';
import type { DecisionEntry, DecisionListQuery, DecisionPage, DecisionSummary, DecisionSummaryQuery } from './types.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

interface DecisionRow {
  id: string | number;
  kind: string;
  node_type: string;
  flow_id: string;
  flow_name: string | null;
  execution_id: string;
  step_key: string | null;
  outcome: string;
  text: string | null;
  rules: string[] | null;
  scores: Record<string, number> | null;
  latency_ms: number | null;
  at: Date | string;
  day_text: string;
}

function toEntry(row: DecisionRow): DecisionEntry {
  return {
    id: String(row.id), kind: row.kind, nodeType: row.node_type, flowId: row.flow_id, flowName: row.flow_name ?? null,
    executionId: row.execution_id, stepKey: row.step_key, outcome: row.outcome, text: row.text, rules: row.rules ?? [],
    scores: row.scores ?? {}, latencyMs: row.latency_ms, at: new Date(row.at).toISOString(), day: row.day_text,
  };
}

/** A page of decisions, newest first (by recording order), each with its redacted text. */
export async function listDecisions(knex: Knex, workspaceId: string, query: DecisionListQuery): Promise<DecisionPage> {
  const limit = query.limit ?? 50;
  const q = knex('decisions as d').leftJoin('flows as f', 'f.id', 'd.flow_id').where('d.workspace_id', workspaceId)
    .select('d.*', 'f.name as flow_name', knex.raw(`to_char(d.day, 'YYYY-MM-DD') as day_text`));
  if (query.flowId) q.where('d.flow_id', query.flowId);
  if (query.kind) q.where('d.kind', query.kind);
  if (query.outcome) q.where('d.outcome', query.outcome);
  // A bare date is a whole UTC day (the chart's bars), matched on the indexed `day`.
  if (query.from) q.where(DAY.test(query.from) ? 'd.day' : 'd.at', '>=', DAY.test(query.from) ? query.from : new Date(query.from));
  if (query.to) q.where(DAY.test(query.to) ? 'd.day' : 'd.at', '<=', DAY.test(query.to) ? query.to : new Date(query.to));
  if (query.rule) q.whereRaw('d.rules @> array[?]::text[]', [query.rule]);
  if (query.before) q.where('d.id', '<', query.before);
  const rows: DecisionRow[] = await q.orderBy('d.id', 'desc').limit(limit + 1);
  const page = rows.slice(0, limit).map(toEntry);
  return { decisions: page, nextBefore: rows.length > limit ? page.at(-1)!.id : null };
}

/** Counts per UTC day and outcome over the last `days` days (today included), and the rules that fired most. */
export async function summarizeDecisions(knex: Knex, workspaceId: string, query: DecisionSummaryQuery, now = new Date()): Promise<DecisionSummary> {
  const days = query.days ?? 14;
  const to = now.toISOString().slice(0, 10);
  const from = new Date(Date.parse(to) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  const scoped = () => {
    const q = knex('decisions').where('workspace_id', workspaceId).where('day', '>=', from).where('day', '<=', to);
    if (query.flowId) q.where('flow_id', query.flowId);
    if (query.kind) q.where('kind', query.kind);
    return q;
  };
  const counts: { day: string; outcome: string; count: number }[] = await scoped().groupBy('day', 'outcome')
    .select(knex.raw(`to_char(day, 'YYYY-MM-DD') as day`), 'outcome', knex.raw('count(*)::int as count'));
  const rules: { rule: string; count: number }[] = await scoped().crossJoin(knex.raw('unnest(rules) as r(rule)'))
    .groupBy('r.rule').select('r.rule as rule', knex.raw('count(*)::int as count'))
    .orderBy([{ column: 'count', order: 'desc' }, { column: 'rule', order: 'asc' }]).limit(query.topRules ?? 10);

  const byDay = new Map<string, Record<string, number>>();
  const perOutcome = new Map<string, number>();
  for (const c of counts) {
    const outcomes = byDay.get(c.day) ?? {};
    outcomes[c.outcome] = Number(c.count);
    byDay.set(c.day, outcomes);
    perOutcome.set(c.outcome, (perOutcome.get(c.outcome) ?? 0) + Number(c.count));
  }
  const series: DecisionSummary['days'] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    const outcomes = byDay.get(day) ?? {};
    series.push({ day, total: Object.values(outcomes).reduce((a, b) => a + b, 0), outcomes });
  }
  return {
    from, to, days: series,
    outcomes: [...perOutcome.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([o]) => o),
    topRules: rules.map((r) => ({ rule: String(r.rule), count: Number(r.count) })),
  };
}
