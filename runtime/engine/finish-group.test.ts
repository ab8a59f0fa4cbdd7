import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/knex.js';
import { testConfig } from '../testing/config.js';
import { FinishGroup, type FinishRequest } from './finish-group.js';
import type { StepRecord } from './step-sql.js';

// Decision 045: executions that finish together share one final statement.
let db: Database;
beforeAll(async () => {
  db = await openDatabase(testConfig());
});
afterAll(async () => {
  await db?.close();
});

let n = 0;
async function execution(status = 'running'): Promise<string> {
  const id = `fg-${String(++n).padStart(3, '0')}`;
  await db.knex('executions').insert({ id, workspace_id: 'default', flow_id: 'flow-fg', flow_version: 1, status, mode: 'channel' });
  return id;
}

function request(executionId: string, text = 'hello'): FinishRequest {
  const now = new Date().toISOString();
  const step: StepRecord = {
    execution_id: executionId, workspace_id: 'default', step_key: 'say', node_id: 'say', node_type: 'core.set', status: 'succeeded', attempt: 1,
    input: { text }, input_ref: null, output: { main: { text } }, output_refs: null, error: null, started_at: now, finished_at: now, duration_ms: 1, seq: 1,
  };
  return { executionId, steps: [step], outbound: [], outcome: { status: 'succeeded', result: { text }, error: null }, startedAt: Date.now() - 5 };
}

const rowsOf = (ids: string[]) => db.knex('executions').whereIn('id', ids).orderBy('id')
  .select('id', 'status', 'result', 'finished_at', db.knex.raw('xmin::text as tx'));

describe('the final commit of executions finishing together', () => {
  it('commits the first at once and those that finish meanwhile in one transaction, each with its own steps and outcome', async () => {
    const ids = await Promise.all(Array.from({ length: 5 }, () => execution()));
    const group = new FinishGroup(db.knex, { inFlight: 1 });
    await Promise.all(ids.map((id, k) => group.commit(request(id, `reply ${k}`))));
    const rows = await rowsOf(ids);
    for (const [k, id] of ids.entries()) {
      const row = rows.find((r: { id: string }) => r.id === id);
      expect(row).toMatchObject({ status: 'succeeded', result: { text: `reply ${k}` } });
      expect(row.finished_at).not.toBeNull();
      const steps = await db.knex('execution_steps').where({ execution_id: id }).select('output');
      expect(steps).toEqual([{ output: { main: { text: `reply ${k}` } } }]);
    }
    // The first went alone; the four queued behind it share the next statement.
    const first = rows.find((r: { id: string }) => r.id === ids[0]).tx;
    const rest = new Set(rows.filter((r: { id: string }) => r.id !== ids[0]).map((r: { tx: string }) => r.tx));
    expect(rest.size).toBe(1);
    expect(rest.has(first)).toBe(false);
  });

  it('keeps a statement within its size bound: executions too large to share one go alone', async () => {
    const ids = await Promise.all(Array.from({ length: 4 }, () => execution()));
    const group = new FinishGroup(db.knex, { maxStatementChars: 10 });
    await Promise.all(ids.map((id) => group.commit(request(id))));
    const rows = await rowsOf(ids);
    expect(rows.map((r: { status: string }) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect(new Set(rows.map((r: { tx: string }) => r.tx)).size).toBe(4);
  });

  it('with two statements in flight, starts the second at once and groups what finishes behind both', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => execution()));
    const group = new FinishGroup(db.knex, { inFlight: 2 });
    await Promise.all(ids.map((id) => group.commit(request(id))));
    const rows = await rowsOf(ids);
    expect(rows.every((r: { status: string }) => r.status === 'succeeded')).toBe(true);
    const tx = (id: string) => rows.find((r: { id: string }) => r.id === id).tx;
    expect(tx(ids[0]!)).not.toBe(tx(ids[1]!));
    expect(new Set(ids.slice(2).map(tx)).size).toBe(1);
  });

  it('keeps a cancelled execution cancelled, and a parked one without an end time', async () => {
    const [cancelled, parked] = [await execution('cancelled'), await execution()];
    const group = new FinishGroup(db.knex);
    const waiting = request(parked);
    waiting.outcome = { status: 'waiting', result: null, error: null };
    await Promise.all([group.commit(request(cancelled)), group.commit(waiting)]);
    const rows = await rowsOf([cancelled, parked]);
    expect(rows.map((r: { status: string }) => r.status)).toEqual(['cancelled', 'waiting']);
    expect(rows[1].finished_at).toBeNull();
  });

  it('fails only the execution whose rows cannot be stored; the others in its batch commit', async () => {
    const ids = await Promise.all(Array.from({ length: 4 }, () => execution()));
    const group = new FinishGroup(db.knex);
    // Postgres's jsonb refuses \u0000: this request's statement fails whatever it shares it with.
    const broken = request(ids[2]!, 'nul \u0000 here');
    const results = await Promise.allSettled(ids.map((id) => group.commit(id === ids[2] ? broken : request(id))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const rows = await rowsOf(ids);
    expect(rows.map((r: { status: string }) => r.status)).toEqual(['succeeded', 'succeeded', 'running', 'succeeded']);
    expect(Number((await db.knex('execution_steps').where({ execution_id: ids[2] }).count({ n: '*' }))[0]!.n)).toBe(0);
  });
});
