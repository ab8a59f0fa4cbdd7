import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NonRetryableError } from '@switchyard/sdk';
import { startGraphFake, type GraphFake } from '../../meta/fake.js';
import { channelTestContext, instagramCredential, localHttp, propsIssues, stepFailure } from '../../meta/testing.js';
import { runNode } from '../../../testing.js';
import sendDm from './index.js';

let fake: GraphFake;
const http = localHttp();
const ctx = () => channelTestContext(http, instagramCredential(fake));
const PERSON = '6143260889082201';
const incoming = { contact: { id: PERSON } };

beforeAll(async () => { fake = await startGraphFake(); });
afterAll(async () => { http.close(); await fake.close(); });
beforeEach(() => fake.reset());

describe('instagram.send-dm', () => {
  it('sends text with quick replies to the incoming message\'s contact through /me/messages', async () => {
    const result = await runNode(sendDm, incoming, { text: 'Which size? 👕', quickReplies: [{ id: 'S', title: 'Small' }, { id: 'L', title: 'Large' }] }, ctx());
    expect(fake.calls[0]).toMatchObject({ method: 'POST', path: 'me/messages', authorized: true });
    expect(fake.instagram.messages[0]?.body).toEqual({
      recipient: { id: PERSON },
      message: { text: 'Which size? 👕', quick_replies: [{ content_type: 'text', title: 'Small', payload: 'S' }, { content_type: 'text', title: 'Large', payload: 'L' }] },
    });
    expect(result).toEqual({ main: { messageId: fake.instagram.messages[0]?.mid, messageIds: [fake.instagram.messages[0]?.mid], recipient: PERSON } });
  });

  it('sends media by URL before the text, and splits a text over 1000 characters with the quick replies on the last part', async () => {
    const text = `${'a'.repeat(900)} ${'b'.repeat(500)}`;
    await runNode(sendDm, incoming, { mediaKind: 'image', mediaUrl: 'https://cdn.example/p.jpg', text, quickReplies: [{ id: 'ok', title: 'OK' }] }, ctx());
    expect(fake.instagram.messages.map((m) => m.body.message)).toEqual([
      { attachment: { type: 'image', payload: { url: 'https://cdn.example/p.jpg' } } },
      { text: 'a'.repeat(900) },
      { text: 'b'.repeat(500), quick_replies: [{ content_type: 'text', title: 'OK', payload: 'ok' }] },
    ]);
  });

  it('refuses an over-long text, an unsupported media type, a bad recipient and more than 13 quick replies, naming the field', async () => {
    expect((await stepFailure(runNode(sendDm, incoming, { text: 'x'.repeat(1001), overLongText: 'refuse' }, ctx()))).message).toMatch(/^text: the text is 1001 characters; this channel allows 1000/);
    const kind = await stepFailure(runNode(sendDm, incoming, { mediaKind: 'gif', mediaUrl: 'https://cdn.example/a.gif' }, ctx()));
    expect(kind).toBeInstanceOf(NonRetryableError);
    expect(kind.message).toBe('mediaKind: "gif" is not a media type Instagram sends (use image, video, audio, file)');
    expect((await stepFailure(runNode(sendDm, null, { recipient: '@ana', text: 'x' }, ctx()))).message).toMatch(/^recipient: "@ana" is not an Instagram-scoped ID/);
    expect((await stepFailure(runNode(sendDm, {}, { text: 'x' }, ctx()))).message).toMatch(/^recipient: no recipient given/);
    const many = Array.from({ length: 14 }, (_, i) => ({ id: `q${i}`, title: `Q${i}` }));
    expect(propsIssues(sendDm.props, { text: 'x', quickReplies: many })).toEqual(['quickReplies: Instagram shows at most 13 quick replies']);
    expect(propsIssues(sendDm.props, {})).toEqual(['text: enter a text, a media URL or both']);
    expect(fake.calls).toHaveLength(0);
  });

  it('outside the 24-hour window fails clearly without retry; a person who cannot be reached fails too', async () => {
    fake.failFor(PERSON, { code: 10, subcode: 2534022, times: 1 });
    const late = await stepFailure(runNode(sendDm, incoming, { text: 'hello?' }, ctx()));
    expect(late).toBeInstanceOf(NonRetryableError);
    expect(late.code).toBe('outside_window');
    expect(late.message).toMatch(/^Instagram error 10 \(HTTP 400\): .*within 24 hours/);
    fake.failFor(PERSON, { code: 551, times: 1 });
    const blocked = await stepFailure(runNode(sendDm, incoming, { text: 'hello?' }, ctx()));
    expect(blocked.code).toBe('recipient_unavailable');
    expect(fake.instagram.messages).toHaveLength(0);
  });
});
