import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import type { Runtime } from '../types.js';
import { WS, startTestRuntime } from '../testing/harness.js';
import { pruneExecutions } from './retention.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime({}, { worker: false });
});

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

/** An execution row with one recorded step (and a wait when it is waiting), created `age` days ago. */
async function execution(status: string, age: number): Promise<string> {
  const id = randomUUID();
  await runtime.knex('executions').insert({
    id, workspace_id: WS, flow_id: 'retention-flow', flow_version: 1, status, mode: 'webhook', priority: 'normal', created_at: daysAgo(age),
  });
  await runtime.knex('execution_steps').insert({
    execution_id: id, workspace_id: WS, seq: 1, step_key: 'in', node_id: 'in', node_type: 'core.webhook', status: 'succeeded', started_at: daysAgo(age),
  });
  if (status === 'waiting') await runtime.knex('execution_waits').insert({ execution_id: id, step_key: 'in', workspace_id: WS, created_at: daysAgo(age) });
  return id;
}

it('deletes finished executions past the age with their steps, in batches, and keeps the rest', async () => {
  const old = await Promise.all(['succeeded', 'failed', 'cancelled', 'succeeded', 'failed'].map((status) => execution(status, 30)));
  const kept = await Promise.all([execution('waiting', 30), execution('running', 30), execution('succeeded', 2), execution('failed', 13)]);
  await runtime.knex('inbound_events').insert([
    { id: randomUUID(), workspace_id: WS, flow_id: 'retention-flow', source: 'webhook:x', provider_event_id: 'old', payload: '{}', received_at: daysAgo(30) },
    { id: randomUUID(), workspace_id: WS, flow_id: 'retention-flow', source: 'webhook:x', provider_event_id: 'new', payload: '{}', received_at: daysAgo(1) },
  ]);

  // Batches of two: five old rows take three statements.
  expect(await pruneExecutions(runtime.knex, { maxAgeDays: 14, batchSize: 2 })).toEqual({ executions: 5, inboundEvents: 1 });

  const left = (await runtime.knex('executions').where({ flow_id: 'retention-flow' }).pluck('id')).sort();
  expect(left).toEqual([...kept].sort());
  expect(await runtime.knex('execution_steps').whereIn('execution_id', old).count<{ n: string }[]>({ n: '*' })).toEqual([{ n: '0' }]);
  expect(await runtime.knex('execution_waits').whereIn('execution_id', kept).count<{ n: string }[]>({ n: '*' })).toEqual([{ n: '1' }]);
  expect(await runtime.knex('inbound_events').where({ flow_id: 'retention-flow' }).pluck('provider_event_id')).toEqual(['new']);
  // Nothing left to do.
  expect(await pruneExecutions(runtime.knex, { maxAgeDays: 14 })).toEqual({ executions: 0, inboundEvents: 0 });
});
