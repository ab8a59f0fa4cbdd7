import type { Knex } from 'knex';
import type { Json } from '@switchyard/sdk';
import { resolvePayloadRefs } from '../engine/payload-refs.js';
import type { StepRecord, StepsView } from './types.js';

/** The steps a view selects, with how many the execution has and where the next page starts. */
export interface StepsPage {
  steps: StepRecord[];
  /** Steps the execution has recorded in all. */
  stepCount: number;
  /** `stepsAfter` for the next page; null when this is the last (or not a page). */
  nextStepsAfter: number | null;
  /** Steps per node id; with the `latest` view only. */
  nodeStepCounts?: Record<string, number>;
}

/** An `execution_steps` row as knex returns it. */
export interface StepRow {
  step_key: string;
  node_id: string;
  node_type: string;
  status: StepRecord['status'];
  attempt: number;
  input: Json;
  output: StepRecord['output'];
  error: StepRecord['error'];
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
  seq: number;
  input_ref: string | null;
  output_refs: Record<string, string> | null;
}

/** Rounds of fetching referenced earlier steps; each round follows one more pass-through hop. */
const MAX_REF_ROUNDS = 8;

export async function loadSteps(knex: Knex, executionId: string, triggerInput: Json, view: StepsView): Promise<StepsPage> {
  const base = () => knex('execution_steps').where({ execution_id: executionId });
  const countAll = async () => Number((await base().count({ n: '*' }))[0]?.n ?? 0);
  switch (view.kind) {
    case 'none':
      return { steps: [], stepCount: await countAll(), nextStepsAfter: null };
    case 'all': {
      const rows: StepRow[] = resolvePayloadRefs(await base().orderBy('seq', 'asc'), triggerInput);
      return { steps: rows.map(toRecord), stepCount: rows.length, nextStepsAfter: null };
    }
    case 'latest': {
      // One scan: the window counts each node's steps before DISTINCT ON keeps its latest.
      const latest = base().distinctOn('node_id').orderBy([{ column: 'node_id' }, { column: 'seq', order: 'desc' }])
        .select('*', knex.raw('count(*) over (partition by node_id) as node_steps'));
      const rows: (StepRow & { node_steps: string | number })[] = await knex.select('*').from(latest.as('latest')).orderBy('seq', 'asc');
      const nodeStepCounts = Object.fromEntries(rows.map((r) => [r.node_id, Number(r.node_steps)]));
      return {
        steps: (await resolveWithContext(knex, executionId, rows, triggerInput)).map(toRecord),
        stepCount: Object.values(nodeStepCounts).reduce((sum, n) => sum + n, 0),
        nextStepsAfter: null,
        nodeStepCounts,
      };
    }
    case 'page': {
      // One more than asked says whether another page follows.
      let rows: StepRow[] = await base().where('seq', '>', view.after).orderBy('seq', 'asc').limit(view.limit + 1);
      const more = rows.length > view.limit;
      if (more) rows = rows.slice(0, -1);
      const steps = (await resolveWithContext(knex, executionId, rows, triggerInput)).map(toRecord);
      const stepCount = view.after === 0 && !more ? steps.length : await countAll();
      return { steps, stepCount, nextStepsAfter: more ? Number(rows.at(-1)!.seq) : null };
    }
  }
}

/**
 * Puts referenced payloads back into `rows`, a part of an execution's steps. A step stores a
 * payload an earlier step already recorded as a reference to it (DESIGN §8), and that earlier step
 * may lie outside the part read: those are fetched too, then dropped from the answer.
 */
async function resolveWithContext(knex: Knex, executionId: string, rows: StepRow[], triggerInput: Json): Promise<StepRow[]> {
  const wanted = new Set(rows.map((r) => Number(r.seq)));
  let all = rows;
  for (let round = 0; round < MAX_REF_ROUNDS; round++) {
    const produced = new Set<string>();
    const missing = new Set<string>();
    for (const row of all) {
      for (const ref of refsOf(row)) if (ref !== 'trigger' && !produced.has(ref)) missing.add(ref.slice(0, ref.lastIndexOf(':')));
      for (const port of [...Object.keys(row.output ?? {}), ...Object.keys(row.output_refs ?? {})]) produced.add(`${row.step_key}:${port}`);
    }
    if (missing.size === 0) break;
    const have = new Set(all.map((r) => Number(r.seq)));
    const lastSeq = Math.max(...all.map((r) => Number(r.seq)));
    const extra: StepRow[] = (await knex('execution_steps').where({ execution_id: executionId })
      .whereIn('step_key', [...missing]).andWhere('seq', '<', lastSeq)).filter((r: StepRow) => !have.has(Number(r.seq)));
    if (extra.length === 0) break;
    all = [...all, ...extra].sort((a, b) => Number(a.seq) - Number(b.seq));
  }
  return resolvePayloadRefs(all, triggerInput).filter((r) => wanted.has(Number(r.seq)));
}

function refsOf(row: StepRow): string[] {
  return [...(row.input_ref ? [row.input_ref] : []), ...Object.values(row.output_refs ?? {})];
}

function toRecord(s: StepRow): StepRecord {
  return {
    seq: Number(s.seq), stepKey: s.step_key, nodeId: s.node_id, nodeType: s.node_type, status: s.status, attempt: s.attempt,
    input: s.input ?? null, output: s.output ?? null, error: s.error ?? null,
    startedAt: new Date(s.started_at).toISOString(), finishedAt: s.finished_at ? new Date(s.finished_at).toISOString() : null,
    durationMs: s.duration_ms === null ? null : Number(s.duration_ms),
  };
}
