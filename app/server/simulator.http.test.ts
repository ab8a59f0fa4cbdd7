import { beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime/types.js';
import { channelFlow, dispatched, startChannelRuntime, testAccount, until, WS } from '../../runtime/testing/channel-harness.js';
import { flow } from '../../runtime/testing/harness.js';
import { serveTestApi, type TestApi } from './test-api.server.js';

/**
 * The chat simulator's API (decision 031) over HTTP, with the test chat channel: a message goes
 * through the account's signed delivery path and runs the flow's saved draft; the thread comes back
 * with each reply's execution and step; bad requests are 4xx naming the problem.
 */

let runtime: Runtime;
let http: TestApi;

beforeAll(async () => {
  runtime = await startChannelRuntime();
  http = await serveTestApi(runtime, 'simulator http test');
});

describe('/api/flows/:id/simulator', () => {
  it('chats with a draft flow: the reply carries its execution and step, a reply to its question resumes it', async () => {
    const account = await testAccount(runtime);
    const flowId = await channelFlow(runtime, account, {}, {
      nodes: [{ id: 'ask', type: 'testchat.ask', props: { text: 'What is your name?' }, credentials: { account: 'acct' } }],
      edges: ['trigger->ask'],
    }, { activate: false });
    const session = 'http-session-1';

    const empty = await http.api('GET', `/api/flows/${flowId}/simulator/${session}`);
    expect(empty).toMatchObject({ status: 200, body: { sessionId: session, conversationId: null, contact: null, messages: [] } });

    const sent = await http.api('POST', `/api/flows/${flowId}/simulator/messages`, { sessionId: session, text: 'hello', messageId: 'm-1' });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ sessionId: session, messageId: 'm-1', nodeId: 'trigger', credentialId: account, channel: 'test-chat', acknowledged: 200, contact: { id: expect.stringMatching(/^sim-\d+$/), name: 'Simulator' } });
    // The same message again (the editor retried): one event, one run.
    expect((await http.api('POST', `/api/flows/${flowId}/simulator/messages`, { sessionId: session, text: 'hello', messageId: 'm-1' })).status).toBe(202);

    const question = await until(async () => {
      const { body } = await http.api('GET', `/api/flows/${flowId}/simulator/${session}`);
      return body.messages.length === 2 && body;
    }, 20_000, 'the question');
    // The question is recorded a moment before the execution parks.
    const executions = await until(async () => {
      const rows = await runtime.knex('executions').where({ flow_id: flowId }).select('id', 'status', 'mode');
      return rows.some((r) => r.status === 'waiting') && rows;
    }, 20_000, 'the execution to park');
    expect(executions).toEqual([expect.objectContaining({ mode: 'manual', status: 'waiting' })]);
    expect(question).toMatchObject({ channel: 'test-chat', credentialId: account, nodeId: 'trigger', conversationId: expect.any(String) });
    expect(question.messages).toEqual([
      expect.objectContaining({ direction: 'in', text: 'hello', executionId: null }),
      expect.objectContaining({ direction: 'out', text: 'What is your name?', executionId: executions[0]!.id, stepKey: 'ask' }),
    ]);

    await http.api('POST', `/api/flows/${flowId}/simulator/messages`, { sessionId: session, text: 'Ada' });
    await until(async () => (await runtime.knex('executions').where({ id: executions[0]!.id }).first('status'))?.status === 'succeeded', 20_000, 'the resumed run');
    await dispatched(runtime, account);
    expect(await runtime.knex('executions').where({ flow_id: flowId }).count<{ n: string }[]>({ n: '*' })).toEqual([{ n: '1' }]);
    // Secrets never leave the server.
    expect(JSON.stringify((await http.api('GET', `/api/flows/${flowId}/simulator/${session}`)).body)).not.toContain('test-signing-secret');
  });

  it('answers bad requests with a 4xx naming the problem', async () => {
    const account = await testAccount(runtime);
    const flowId = await channelFlow(runtime, account, {}, {}, { activate: false });
    const post = (body: unknown, id = flowId) => http.api('POST', `/api/flows/${id}/simulator/messages`, body);

    const both = await post({ sessionId: 'http-session-2', text: 'x', choiceId: 'yes' });
    expect(both.status).toBe(400);
    expect(both.body.error).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ message: 'send either "text" or "choiceId"' })] });
    expect((await post({ sessionId: 'http-session-2' })).status).toBe(400);
    expect((await post({ sessionId: 'short', text: 'x' })).status).toBe(400);
    expect((await post({ sessionId: 'http-session-2', text: 'x'.repeat(4097) })).status).toBe(400);
    expect((await http.api('GET', `/api/flows/${flowId}/simulator/bad%20session`)).status).toBe(400);
    // A subject (email, decision 042) is one header line.
    const twoLines = await post({ sessionId: 'http-session-2', text: 'x', subject: 'Hi\r\nBcc: victim@example.com' });
    expect(twoLines.status).toBe(400);
    expect(twoLines.body.error.details).toEqual([expect.objectContaining({ path: ['body', 'subject'], message: 'a subject is one line' })]);
    expect((await post({ sessionId: 'http-session-2', text: 'x', subject: 's'.repeat(999) })).status).toBe(400);
    expect((await post({ sessionId: 'http-session-2', text: 'x' }, 'no-such-flow')).status).toBe(404);

    const unknownChoice = await post({ sessionId: 'http-session-2', choiceId: 'yes' });
    expect(unknownChoice.body.error).toMatchObject({ code: 'unknown_choice', message: 'no message of this conversation offers the choice "yes"' });

    const manual = (await runtime.flows.create(WS, flow('no channel trigger', [{ id: 'start', type: 'testchat.ask' }], []), { draft: true })).id;
    const noTrigger = await post({ sessionId: 'http-session-2', text: 'x' }, manual);
    expect(noTrigger.status).toBe(400);
    expect(noTrigger.body.error).toMatchObject({ code: 'not_a_channel_trigger' });
  });
});
