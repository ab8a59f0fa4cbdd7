import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../runtime/index.js';
import { testConfig } from '../../runtime/testing/config.js';
import { serveTestApi, type TestApi } from './test-api.server.js';

/** The AI price table through the HTTP API: read, replace, refusals naming the row. */
let runtime: Runtime;
let http: TestApi;

beforeAll(async () => {
  runtime = await createRuntime(testConfig());
  http = await serveTestApi(runtime, 'ai-prices');
}, 60_000);
afterAll(async () => {
  await runtime?.close();
});

describe('AI price table API', () => {
  it('starts empty, replaces the table, and reads it back sorted', async () => {
    expect((await http.api('GET', '/api/ai/prices')).body).toEqual({ prices: [] });
    const put = await http.api('PUT', '/api/ai/prices', { prices: [{ model: 'llama-3.3-70b-versatile', input: 0.59, output: 0.79 }, { model: 'gpt-4o-mini', input: 0.15, output: 0.6 }] });
    expect(put.status).toBe(200);
    expect(put.body.prices.map((p: { model: string }) => p.model)).toEqual(['gpt-4o-mini', 'llama-3.3-70b-versatile']);
    await http.api('PUT', '/api/ai/prices', { prices: [{ model: 'gpt-4o-mini', input: 0.2, output: 0.8 }] });
    expect((await http.api('GET', '/api/ai/prices')).body).toEqual({ prices: [{ model: 'gpt-4o-mini', input: 0.2, output: 0.8 }] });
  });

  it('refuses a bad table with a 400 naming the problem, keeping the old one', async () => {
    for (const body of [
      { prices: [{ model: 'a', input: 1, output: 1 }, { model: 'a', input: 1, output: 2 }] },
      { prices: [{ model: 'a', input: 'cheap', output: 1 }] },
      { prices: [{ model: '', input: 1, output: 1 }] },
      {},
    ]) {
      const answer = await http.api('PUT', '/api/ai/prices', body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    }
    const duplicate = await http.api('PUT', '/api/ai/prices', { prices: [{ model: 'a', input: 1, output: 1 }, { model: 'a', input: 1, output: 2 }] });
    expect(duplicate.body.error.details).toContainEqual({ path: ['body', 'prices', 1, 'model'], message: '"a" is listed twice' });
    expect((await http.api('GET', '/api/ai/prices')).body).toEqual({ prices: [{ model: 'gpt-4o-mini', input: 0.2, output: 0.8 }] });
  });
});
