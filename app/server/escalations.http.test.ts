import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmtpFake } from '../../nodes/channels/email/fake-smtp.js';
import { askFlow, escalationOf, smtpAccount, waitForStatus } from '../../nodes/guardrails/ask-human/testing.js';
import { startTestRuntime, WS } from '../../runtime/testing/harness.js';
import type { Runtime } from '../../runtime/types.js';
import { serveTestApi, type TestApi } from './test-api.server.js';

/**
 * The escalations API over HTTP: list and detail of what an "Ask a human" step asked, a decision
 * that resumes the flow, and the refusals: unknown id 404, already decided 409 naming who, a bad
 * body or filter 400 naming the field.
 */
let runtime: Runtime;
let http: TestApi;
let smtp: SmtpFake;
let flowId: string;

beforeAll(async () => {
  runtime = await startTestRuntime();
  http = await serveTestApi(runtime, 'escalations');
  const account = await smtpAccount(runtime);
  smtp = account.smtp;
  flowId = await askFlow(runtime, account.credentialId);
}, 60_000);
afterAll(async () => { await smtp?.close(); });

async function parked() {
  const { executionId } = await runtime.executions.run(WS, flowId, {});
  await waitForStatus(runtime, executionId, 'waiting');
  return { executionId, id: (await escalationOf(runtime, executionId)).id };
}

describe('escalations API', () => {
  it('lists, shows, decides once (recorded as the API key), and answers 409 to the second decision', async () => {
    const { executionId, id } = await parked();
    const list = await http.api('GET', `/api/escalations?status=open&flowId=${flowId}`);
    expect(list.status).toBe(200);
    expect(list.body.escalations.map((e: { id: string }) => e.id)).toContain(id);
    const one = await http.api('GET', `/api/escalations/${id}`);
    expect(one.body).toMatchObject({ id, status: 'open', draft: 'We will refund you within 3 days.', conversation: null, executionId });

    const decided = await http.api('POST', `/api/escalations/${id}/decision`, { action: 'approve', text: 'Refunded today.' });
    expect(decided.status, decided.text).toBe(200);
    expect(decided.body).toMatchObject({ status: 'approved', action: 'edit', edited: true, finalText: 'Refunded today.', decidedBy: 'API key "escalations"' });
    expect((await waitForStatus(runtime, executionId, 'succeeded')).result).toMatchObject({ outcome: 'approved', text: 'Refunded today.' });

    const again = await http.api('POST', `/api/escalations/${id}/decision`, { action: 'reject' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'conflict', message: 'already decided by API key "escalations" (approved)' });
  });

  it('unknown escalations are 404, for a well-formed id and for any other string', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      const shown = await http.api('GET', `/api/escalations/${id}`);
      expect(shown.status).toBe(404);
      expect(shown.body.error.message).toBe(`escalation "${id}" was not found`);
      const decided = await http.api('POST', `/api/escalations/${id}/decision`, { action: 'approve' });
      expect(decided.status).toBe(404);
    }
  });

  it('a bad body or filter is 400 naming the field, and decides nothing', async () => {
    const { id } = await parked();
    const cases: [unknown, string[]][] = [
      [{}, ['body', 'action']],
      [{ action: 'maybe' }, ['body', 'action']],
      [{ action: 'reply' }, ['body', 'text']],
      [{ action: 'reply', text: '   ' }, ['body', 'text']],
      [{ action: 'reject', text: 'no' }, ['body', 'text']],
      [{ action: 'approve', text: 42 }, ['body', 'text']],
    ];
    for (const [body, path] of cases) {
      const res = await http.api('POST', `/api/escalations/${id}/decision`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.map((d: { path: string[] }) => d.path)).toContainEqual(path);
    }
    const broken = await http.api('POST', `/api/escalations/${id}/decision`, '{"action":', { raw: true });
    expect(broken.status).toBe(400);
    const filter = await http.api('GET', '/api/escalations?status=pending&limit=0');
    expect(filter.status).toBe(400);
    expect(filter.body.error.details.map((d: { path: string[] }) => d.path)).toEqual(expect.arrayContaining([['query', 'status'], ['query', 'limit']]));
    expect((await http.api('GET', `/api/escalations/${id}`)).body.status).toBe('open');
  });

  it('a decision on an escalation whose execution was cancelled is 409, and the escalation stays open', async () => {
    const { executionId, id } = await parked();
    expect((await http.api('POST', `/api/executions/${executionId}/cancel`)).status).toBeLessThan(300);
    const res = await http.api('POST', `/api/escalations/${id}/decision`, { action: 'approve' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('the execution behind this escalation is cancelled: nothing waits for a decision');
    expect((await http.api('GET', `/api/escalations/${id}`)).body.status).toBe('open');
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await http.api('GET', '/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/escalations', '/api/escalations/{id}', '/api/escalations/{id}/decision']));
  });
});
