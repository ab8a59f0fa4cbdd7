import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { ConversationChange, Runtime } from '../../runtime/index.js';
import { channelFlow, deliver, startChannelRuntime, testAccount, until, WS } from '../../runtime/testing/channel-harness.js';
import { serveTestApi, type TestApi } from './test-api.server.js';

/**
 * GET /api/conversations/events across two runtimes on the same Postgres schema and Redis prefix:
 * `web` serves HTTP and dispatches deliveries but runs no worker; `worker` runs the executions. What
 * either records reaches the open streams of its workspace through Redis, and never another's.
 */

const OTHER = 'other-live';
let web: Runtime;
let worker: Runtime;
let http: TestApi;
let otherKey: string;
let redis: Redis;

beforeAll(async () => {
  web = await startChannelRuntime({}, { worker: false });
  const { databaseSchema, redisPrefix, encryptionKey } = web.config;
  worker = await startChannelRuntime({ databaseSchema, redisPrefix, encryptionKey });
  http = await serveTestApi(web, 'conversations live test');
  await web.knex('workspaces').insert({ id: OTHER, name: 'Another workspace' });
  otherKey = (await web.auth.createApiKey(OTHER, 'other live test')).key;
  redis = new Redis(web.config.redisUrl!);
}, 60_000);

afterAll(() => { redis?.disconnect(); });

interface Stream {
  ready: Promise<void>;
  changes: ConversationChange[];
  /** Every change of one thread, in arrival order. */
  kindsOf(threadId: string): string[];
  close(): void;
}

/** Opens the SSE stream with an API key and collects its messages. */
function openStream(key: string): Stream {
  const controller = new AbortController();
  const changes: ConversationChange[] = [];
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => { markReady = resolve; });
  void (async () => {
    const res = await fetch(`${http.base}/api/conversations/events`, { headers: { authorization: `Bearer ${key}` }, signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body! as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (event === 'ready') markReady();
        else if (data !== undefined) changes.push(JSON.parse(data) as ConversationChange);
      }
    }
  })().catch(() => undefined);
  return {
    ready, changes,
    kindsOf: (threadId) => changes.flatMap((c) => c.threads.filter((t) => t.id === threadId).flatMap((t) => t.changes)),
    close: () => controller.abort(),
  };
}

const subscribers = async () => {
  const [, count] = await redis.pubsub('NUMSUB', `${web.config.redisPrefix}:ch:conversations:${WS}`) as [string, number];
  return Number(count);
};

describe('GET /api/conversations/events', () => {
  it('refuses a caller without a key', async () => {
    expect((await http.api('GET', '/api/conversations/events', undefined, { auth: false })).status).toBe(401);
  });

  it('tells the workspace\'s open inboxes what any process recorded, and nothing to another workspace', async () => {
    const mine = openStream(http.key);
    const theirs = openStream(otherKey);
    await Promise.all([mine.ready, theirs.ready]);

    // A contact writes: the web process's dispatch records it; the flow's "ask" step, run by the
    // other runtime's worker, records its outbound message there.
    const account = await testAccount(web);
    await channelFlow(web, account, {}, { nodes: [{ id: 'ask', type: 'testchat.ask', props: { text: 'How can we help?' }, credentials: { account: 'acct' } }], edges: ['trigger->ask'] });
    await deliver(web, account, [{ id: 'live-1', type: 'message', from: 'ana', name: 'Ana', text: 'hello', mid: 'live-m1' }]);
    const thread = await until(async () => {
      const list = (await http.api('GET', '/api/conversations')).body as { id: string; accountId: string }[];
      return list.find((t) => t.accountId === account)?.id;
    }, 15_000, 'the thread');
    await until(async () => mine.kindsOf(thread).includes('message'), 15_000, 'the inbound message notice');
    const outbound = await until(async () => {
      const rows = await web.knex('conversation_messages').where({ contact_id: thread, direction: 'out' }).select('provider_message_id');
      return rows[0]?.provider_message_id as string | undefined;
    }, 20_000, 'the worker\'s outbound message');
    // The web process published one notice for the inbound message; the worker's is a second one.
    await until(async () => mine.changes.filter((c) => c.threads.some((t) => t.id === thread && t.changes.includes('message'))).length >= 2,
      15_000, 'the worker\'s notice of its outbound message');

    // A delivery status for that message, and a pause by another process.
    await deliver(worker, account, [{ id: 'live-2', type: 'status', from: 'ana', mid: outbound, status: 'delivered' }]);
    await until(async () => mine.kindsOf(thread).includes('status'), 15_000, 'the status notice');
    await worker.conversations.setAutomation(WS, thread, true);
    await until(async () => mine.kindsOf(thread).includes('automation'), 15_000, 'the pause notice');
    // Reading the thread tells the other inboxes its unread count went.
    expect((await http.api('GET', `/api/conversations/${thread}`)).status).toBe(200);
    await until(async () => mine.kindsOf(thread).includes('read'), 15_000, 'the read notice');

    // Another workspace's thread reaches only that workspace's stream.
    const otherAccount = (await worker.credentials.create(OTHER, { name: 'their account', kind: 'test-chat', data: { secret: 'test-signing-secret' } })).id;
    await deliver(worker, otherAccount, [{ id: 'live-3', type: 'message', from: 'bo', text: 'hi', mid: 'live-m3' }]);
    const theirThread = await until(async () => (await worker.conversations.list(OTHER))[0]?.id, 15_000, 'their thread');
    await until(async () => theirs.kindsOf(theirThread).includes('message'), 15_000, 'their notice');
    // A barrier instead of a pause: a notice published after theirs reaches this stream after any
    // stray one would have (one publisher, one subscriber connection, Redis keeps the order).
    const seen = mine.changes.length;
    await worker.conversations.setAutomation(WS, thread, false);
    await until(async () => mine.changes.length > seen, 15_000, 'the resume notice');
    expect(mine.kindsOf(theirThread)).toEqual([]);
    expect(theirs.kindsOf(thread)).toEqual([]);
    expect(theirs.changes.every((c) => c.threads.every((t) => t.id === theirThread))).toBe(true);
    // Only ids and kinds travel: nothing of the messages.
    expect(JSON.stringify(mine.changes)).not.toContain('hello');

    // A closed stream lets go of its Redis subscription.
    expect(await subscribers()).toBe(1);
    mine.close();
    theirs.close();
    await until(async () => (await subscribers()) === 0, 10_000, 'the subscription to go');
  }, 90_000);
});
