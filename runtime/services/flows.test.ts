import { beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../types.js';
import { WS, flow, startTestRuntime } from '../testing/harness.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime({}, { worker: false });
});

const halfBuilt = flow('half built', [
  { id: 'start', type: 'core.manual-trigger' },
  { id: 'call', type: 'core.http-request', props: { method: 'GET' } },
], ['start->call', 'call->nowhere']);

describe('flow saves', () => {
  it('refuses a flow with problems, listing each with its node or edge id', async () => {
    await expect(runtime.flows.create(WS, halfBuilt)).rejects.toMatchObject({
      status: 400,
      problems: expect.arrayContaining([
        expect.objectContaining({ code: 'invalid_props', nodeId: 'call' }),
        expect.objectContaining({ code: 'dangling_edge', edgeId: 'e1' }),
      ]),
    });
  });

  it('keeps a draft with its problems, but will not run or activate it until they are fixed', async () => {
    const draft = await runtime.flows.create(WS, halfBuilt, { draft: true });
    expect(draft.problems?.map((p) => p.code).sort()).toEqual(['dangling_edge', 'invalid_props']);
    await expect(runtime.executions.run(WS, draft.id, {})).rejects.toMatchObject({ status: 400 });
    await expect(runtime.flows.activate(WS, draft.id)).rejects.toMatchObject({ status: 400 });

    const fixed = await runtime.flows.update(WS, draft.id, flow('half built', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'call', type: 'core.http-request', props: { method: 'GET', url: 'https://example.com/' } },
    ], ['start->call']), { draft: true });
    expect(fixed.problems).toEqual([]);
    expect(fixed.version).toBe(2);
    expect((await runtime.flows.versions(WS, draft.id)).map((v) => v.version)).toEqual([2, 1]);
  });

  it('still refuses a draft that is not a flow document at all', async () => {
    await expect(runtime.flows.create(WS, { format: 'something-else', nodes: 'no' }, { draft: true })).rejects.toMatchObject({ status: 400 });
  });
});
