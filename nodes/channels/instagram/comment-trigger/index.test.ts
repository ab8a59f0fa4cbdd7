import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InboundAccount, Json, TriggerLifecycleContext } from '@switchyard/sdk';
import { igComment, instagramDelivery, metaJson } from '../../meta/fake-webhooks.js';
import { graphTime } from '../../meta/fake-instagram.js';
import { startGraphFake, type GraphFake } from '../../meta/fake.js';
import { instagramCredential, localHttp } from '../../meta/testing.js';
import { parseInstagramDelivery } from '../parse.js';
import trigger from './index.js';
import { nextInterval, pollComments } from './poll.js';

let fake: GraphFake;
const http = localHttp();
const MIN = 60_000;

beforeAll(async () => { fake = await startGraphFake(); });
afterAll(async () => { http.close(); await fake.close(); });
beforeEach(() => fake.reset());

function lifecycle(): TriggerLifecycleContext {
  const fields = instagramCredential(fake).fields;
  const account: InboundAccount = { credentialId: 'cred-ig', fields, secret: 's', callbackUrl: 'https://sy.example/inbound/cred-ig' };
  const log = { debug() {}, info() {}, warn() {}, error() {} };
  return { account, http, log, signal: new AbortController().signal };
}

const comment = (id: string, text: string, at: number, parentId?: string) => ({ id, text, timestamp: graphTime(at), from: { id: `u${id}`, username: `user${id}` }, ...(parentId ? { parentId } : {}) });

describe('instagram.comment-trigger', () => {
  it('matches comment events by post, replies, own comments and text', () => {
    const ACCOUNT = fake.instagram.account.id;
    const events = parseInstagramDelivery(new TextEncoder().encode(metaJson(instagramDelivery(ACCOUNT, [{ changes: [
      igComment({ id: '90001', text: 'How much?', from: { id: '1', username: 'a' }, mediaId: '70001' }),
      igComment({ id: '90002', text: 'Thanks, DM sent', from: { id: ACCOUNT, username: 'me' }, mediaId: '70001', parentId: '90001' }),
      igComment({ id: '90003', text: 'nice', from: { id: '2', username: 'b' }, mediaId: '70002', parentId: '90009' }),
    ] }]))), ACCOUNT);
    const matching = (props: Record<string, unknown>) => events.filter((e) => trigger.trigger!.channel!.matches(e, trigger.props.parse(props))).map((e) => e.id);
    expect(matching({})).toEqual(['90001', '90003']);
    expect(matching({ ignoreOwn: false })).toEqual(['90001', '90002', '90003']);
    expect(matching({ includeReplies: false })).toEqual(['90001']);
    expect(matching({ mediaIds: [{ id: '70002' }] })).toEqual(['90003']);
    expect(matching({ textFilter: 'contains', pattern: 'how much' })).toEqual(['90001']);
  });

  it('polls: the first poll only sets marks, later polls emit each new comment and reply once, oldest first', async () => {
    const t0 = Date.parse('2025-03-01T10:00:00Z');
    fake.instagram.addMedia({ id: '70001', timestamp: graphTime(t0 - 86_400_000), comments: [comment('1', 'old one', t0 - 3_600_000)] });
    fake.instagram.addMedia({ id: '70002', timestamp: graphTime(t0 - 3_600_000), comments: [] });
    const ctx = lifecycle();
    const options = { watchPosts: 10, mediaIds: [] };
    const first = await pollComments(ctx, options, null, t0);
    expect(first.events).toEqual([]);

    fake.instagram.addComment('70001', comment('2', 'second', t0 + 60_000));
    fake.instagram.addComment('70001', comment('3', 'reply to old', t0 + 61_000, '1'));
    fake.instagram.addComment('70002', comment('4', 'first on new post 😀', t0 + 30_000));
    const second = await pollComments(ctx, options, first.cursor, t0 + 10 * MIN);
    expect(second.events.map((e) => [e.id, e.message?.text, (e.data as { mediaId: string }).mediaId, (e.data as { parentId: string | null }).parentId])).toEqual([
      ['4', 'first on new post 😀', '70002', null],
      ['2', 'second', '70001', null],
      ['3', 'reply to old', '70001', '1'],
    ]);
    expect(second.events[0]).toMatchObject({ type: 'comment', contact: { id: 'u4', name: 'user4' }, data: { source: 'polling', commentId: '4' } });

    // Another comment in the same second as the last one seen is still new; nothing else repeats.
    fake.instagram.addComment('70001', comment('5', 'same second', t0 + 61_000));
    const third = await pollComments(ctx, options, second.cursor, t0 + 20 * MIN);
    expect(third.events.map((e) => e.id)).toEqual(['5']);
    const fourth = await pollComments(ctx, options, third.cursor, t0 + 30 * MIN);
    expect(fourth.events).toEqual([]);
  });

  it('adapts the interval: 5 minutes after activity, doubling while quiet up to 30, skipping polls that are not due', async () => {
    expect([0, 1, 2, 3, 4].map(nextInterval)).toEqual([5 * MIN, 10 * MIN, 20 * MIN, 30 * MIN, 30 * MIN]);
    const t0 = Date.parse('2025-03-01T10:00:00Z');
    fake.instagram.addMedia({ id: '70001', timestamp: graphTime(t0), comments: [] });
    const ctx = lifecycle();
    const options = { watchPosts: 5, mediaIds: [] };
    let state = await pollComments(ctx, options, null, t0);
    let now = t0;
    const ran: number[] = [];
    for (let tick = 1; tick <= 12; tick++) {
      now = t0 + tick * 5 * MIN;
      const calls = fake.calls.length;
      state = await pollComments(ctx, options, state.cursor, now);
      if (fake.calls.length > calls) ran.push(tick * 5);
    }
    // Quiet: polls at +5 (quiet 1 → 10 min), +15 (quiet 2 → 20), +35 (quiet 3 → 30), then every 30.
    expect(ran).toEqual([5, 15, 35]);
    fake.instagram.addComment('70001', comment('9', 'hello', now + 1000));
    state = await pollComments(ctx, options, state.cursor, now + 30 * MIN);
    expect(state.events.map((e) => e.id)).toEqual(['9']);
    expect((state.cursor as { nextPollAt: number }).nextPollAt).toBe(now + 30 * MIN + 5 * MIN - 30_000);
  });

  it('the trigger polls only in polling mode, and a refused token fails the poll', async () => {
    const ctx = lifecycle();
    const poll = trigger.trigger!.channel!.poll!;
    const webhookProps = trigger.props.parse({});
    expect(poll.intervalMs(webhookProps)).toBe(30 * MIN);
    expect(await poll.run(ctx, webhookProps, null)).toEqual({ events: [], cursor: null });
    expect(fake.calls).toHaveLength(0);
    expect(poll.intervalMs(trigger.props.parse({ source: 'polling' }))).toBe(5 * MIN);
    const refused = { ...ctx, account: { ...ctx.account, fields: { ...ctx.account.fields, accessToken: 'bad' } } };
    await expect(poll.run(refused, trigger.props.parse({ source: 'polling' }), null as Json)).rejects.toThrow(/Instagram error 190/);
  });
});
