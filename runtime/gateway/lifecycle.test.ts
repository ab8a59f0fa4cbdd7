import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import type { Runtime } from '../types.js';
import { startLocalServer } from '../testing/harness.js';
import { channelFlow, startChannelRuntime, testAccount, until, WS } from '../testing/channel-harness.js';
import { lifecycleCalls } from '../testing/test-channel.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startChannelRuntime();
});

describe('channel trigger lifecycle', () => {
  it('registers on activation with the account\'s callback URL and secret, and unregisters when the last flow on the account stops', async () => {
    const id = await testAccount(runtime);
    const first = await channelFlow(runtime, id);
    const second = await channelFlow(runtime, id);
    const registered = lifecycleCalls.filter((c) => c.credentialId === id);
    expect(registered.map((c) => c.hook)).toEqual(['register', 'register']);
    expect(registered[0]).toMatchObject({ callbackUrl: `https://switchyard.example/inbound/${id}`, secret: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/) });
    expect(await runtime.knex('channel_triggers').where({ credential_id: id }).orderBy('flow_id').pluck('flow_id')).toEqual([first, second].sort());

    await runtime.flows.deactivate(WS, first);
    // The second flow still listens: the provider keeps delivering.
    expect(lifecycleCalls.filter((c) => c.credentialId === id).map((c) => c.hook)).toEqual(['register', 'register']);
    await runtime.flows.remove(WS, second);
    expect(lifecycleCalls.filter((c) => c.credentialId === id).map((c) => c.hook)).toEqual(['register', 'register', 'unregister']);
    expect(await runtime.knex('channel_triggers').where({ credential_id: id })).toEqual([]);
  });

  it('refuses the activation when the provider refuses the registration, naming the node, without the secret', async () => {
    const id = await testAccount(runtime, { refuseRegistration: 'yes', secret: 'super-secret-token-123' });
    const flowId = await channelFlow(runtime, id, {}, {}, { activate: false });
    const error = await runtime.flows.activate(WS, flowId).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 422, code: 'trigger_registration_failed' });
    const { message, details } = error as AppError;
    expect(message).toContain('node "trigger"');
    expect(message).toContain('Bad Request: bad webhook');
    expect(message).not.toContain('super-secret-token-123');
    expect(details).toEqual([{ code: 'trigger_registration_failed', nodeId: 'trigger', message: expect.stringContaining('[redacted]') }]);
    expect((await runtime.flows.get(WS, flowId)).active).toBe(false);
    expect(await runtime.knex('channel_triggers').where({ flow_id: flowId })).toEqual([]);
  });

  it('refuses to activate a channel trigger with no account chosen', async () => {
    const id = await testAccount(runtime);
    const flowId = await channelFlow(runtime, id, {}, {}, { activate: false });
    const flow = await runtime.flows.get(WS, flowId);
    await runtime.flows.update(WS, flowId, { ...flow.document, credentials: { acct: { kind: 'test-chat' } } }, { draft: true });
    const error = await runtime.flows.activate(WS, flowId).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ status: 400, details: [expect.objectContaining({ code: 'credential_unbound', nodeId: 'trigger' })] });
  });
});

describe('polling triggers', () => {
  it('advances a durable cursor, starts one execution per item once, and shows a poller that keeps failing in the flows list', async () => {
    const items = [{ id: 1, text: 'first', from: 'ivy' }, { id: 2, text: 'second', from: 'ivy' }];
    let failing = false;
    const feed = await startLocalServer((req, _body, res) => {
      if (failing) {
        res.writeHead(503).end('down for maintenance');
        return;
      }
      const after = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('after') ?? 0);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: items.filter((i) => i.id > after) }));
    });
    const id = await testAccount(runtime);
    const flowId = await channelFlow(runtime, id, { url: feed.url }, {}, { trigger: 'testchat.poll' });
    const texts = async () => (await runtime.knex('executions').where({ flow_id: flowId }).select('trigger_input'))
      .map((r: { trigger_input: { text: string } }) => r.trigger_input.text).sort();
    await until(async () => (await texts()).length === 2, 20_000, 'the first poll');
    items.push({ id: 3, text: 'third', from: 'ivy' });
    await until(async () => (await texts()).length === 3, 20_000, 'the next poll');
    // Several more polls find nothing new.
    const polls = feed.hits.get('/items') ?? 0;
    await until(async () => (feed.hits.get('/items') ?? 0) >= polls + 2, 20_000, 'two more polls');
    expect(await texts()).toEqual(['first', 'second', 'third']);
    expect(await runtime.knex('trigger_cursors').where({ flow_id: flowId }).first('cursor', 'failing')).toEqual({ cursor: 3, failing: false });

    failing = true;
    const [flow] = await until(async () => {
      const list = (await runtime.flows.list(WS)).filter((f) => f.id === flowId);
      return list[0]?.triggerProblems && list;
    }, 30_000, 'the trigger to be marked failing');
    expect(flow!.triggerProblems).toEqual([{ nodeId: 'trigger', message: 'feed answered 503', failures: expect.any(Number), since: expect.any(String) }]);
    expect(flow!.triggerProblems![0]!.failures).toBeGreaterThanOrEqual(3);

    failing = false;
    await until(async () => (await runtime.flows.list(WS)).find((f) => f.id === flowId)?.triggerProblems === undefined, 20_000, 'the trigger to recover');
    expect(await texts()).toEqual(['first', 'second', 'third']);
    await runtime.flows.deactivate(WS, flowId);
  });
});
