import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime/index.js';
import { startTestRuntime, WS } from '../../runtime/testing/harness.js';
import { serveTestApi, type TestApi } from './test-api.server.js';

/** The executions date range (`since`/`until`), through the service and through HTTP. */
let runtime: Runtime;
let http: TestApi;
const flowId = `flow-${randomUUID()}`;
/** Execution id by label, each created at a chosen time (rows written directly: no run needed to filter). */
const ids: Record<string, string> = {};

const times = {
  old: '2024-01-01T08:00:00.000Z',
  morning: '2024-03-10T09:00:00.000Z',
  noon: '2024-03-10T12:00:00.000Z',
  evening: '2024-03-10T23:59:59.999Z',
  nextDay: '2024-03-11T00:00:00.000Z',
};

beforeAll(async () => {
  // No worker: the rows are inserted finished; nothing needs to run.
  runtime = await startTestRuntime({}, { worker: false });
  http = await serveTestApi(runtime, 'filter');
  for (const [label, createdAt] of Object.entries(times)) {
    const id = randomUUID();
    ids[label] = id;
    await runtime.knex('executions').insert({
      id, workspace_id: WS, flow_id: flowId, flow_version: 1, status: 'succeeded', mode: 'manual',
      trigger_input: JSON.stringify({}), created_at: createdAt, started_at: createdAt, finished_at: createdAt,
    });
  }
});

const get = (path: string) => http.api('GET', path);

function labelsOf(body: unknown): string[] {
  if (!Array.isArray(body)) throw new Error(`expected a list, got ${JSON.stringify(body)}`);
  const byId = new Map(Object.entries(ids).map(([label, id]) => [id, label]));
  return body.map((row: { id: string }) => byId.get(row.id) ?? `other:${row.id}`);
}

describe('executions date filter', () => {
  it('service: since is inclusive, until exclusive, newest first', async () => {
    const rows = await runtime.executions.list(WS, { flowId, since: '2024-03-10T00:00:00Z', until: times.nextDay });
    expect(rows.map((r) => r.id)).toEqual([ids.evening, ids.noon, ids.morning]);
    const fromNoon = await runtime.executions.list(WS, { flowId, since: times.noon });
    expect(fromNoon.map((r) => r.id)).toEqual([ids.nextDay, ids.evening, ids.noon]);
    const untilNoon = await runtime.executions.list(WS, { flowId, until: times.noon });
    expect(untilNoon.map((r) => r.id)).toEqual([ids.morning, ids.old]);
  });

  it('service: combines with the before cursor and with status', async () => {
    const rows = await runtime.executions.list(WS, { flowId, since: '2024-03-10T00:00:00Z', before: times.evening });
    expect(rows.map((r) => r.id)).toEqual([ids.noon, ids.morning]);
    expect(await runtime.executions.list(WS, { flowId, since: times.old, status: 'failed' })).toEqual([]);
  });

  it('API: GET /api/executions?since&until filters by creation time', async () => {
    const q = new URLSearchParams({ flowId, since: '2024-03-10T00:00:00Z', until: '2024-03-11T00:00:00Z' });
    const res = await get(`/api/executions?${q}`);
    expect(res.status).toBe(200);
    expect(labelsOf(res.body)).toEqual(['evening', 'noon', 'morning']);
    // A date with an offset means the same instant.
    const offset = await get(`/api/executions?${new URLSearchParams({ flowId, since: '2024-03-10T13:00:00+01:00' })}`);
    expect(labelsOf(offset.body)).toEqual(['nextDay', 'evening', 'noon']);
  });

  it('API: a bad date or an empty range is a 400 naming the parameter', async () => {
    const bad = await get(`/api/executions?since=yesterday`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'invalid_query', message: expect.stringContaining('"since" must be an ISO date') } });
    const badUntil = await get(`/api/executions?until=2024-13-45`);
    expect(badUntil.status).toBe(400);
    expect(badUntil.body).toMatchObject({ error: { message: expect.stringContaining('"until"') } });
    const reversed = await get(`/api/executions?since=${times.nextDay}&until=${times.old}`);
    expect(reversed.status).toBe(400);
    expect(reversed.body).toMatchObject({ error: { message: expect.stringContaining('earlier than "until"') } });
  });
});
