import { describe, expect, it } from 'vitest';
import { outputOf, templateBed } from '../_testing/harness.js';

const bed = templateBed();

describe('template: Webhook → transform → respond', () => {
  it('imports inactive with nothing to map, activates, and answers a POST with the greeting and total', async () => {
    const imported = await bed.importTemplate('webhook-transform-respond');
    expect(imported.unmapped).toEqual([]);
    expect((await fetch(`${bed.http.base}/hooks/hello`, { method: 'POST', body: '{}' })).status).toBe(404);

    await bed.activate(imported.flowId);
    const answer = await fetch(`${bed.http.base}/hooks/hello`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada', items: [{ price: 2.5, qty: 2 }, { price: 0.1, qty: 3 }] }),
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ greeting: 'Hello, Ada!', count: 2, total: 5.3 });

    const execution = await bed.finishedExecution(imported.flowId);
    expect(execution.status).toBe('succeeded');
    expect(outputOf(execution, 'shape')).toMatchObject({ name: 'Ada' });
  });
});
