import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { graphTime } from '../../meta/fake-instagram.js';
import { startGraphFake, type GraphFake } from '../../meta/fake.js';
import { channelTestContext, instagramCredential, localHttp, stepFailure } from '../../meta/testing.js';
import { runNode } from '../../../testing.js';
import replyComment from './index.js';

let fake: GraphFake;
const http = localHttp();
const ctx = () => channelTestContext(http, instagramCredential(fake));

beforeAll(async () => { fake = await startGraphFake(); });
afterAll(async () => { http.close(); await fake.close(); });
beforeEach(() => {
  fake.reset();
  fake.instagram.addMedia({ id: '70001', timestamp: graphTime(Date.now()), comments: [{ id: '90001', text: 'Price?', timestamp: graphTime(Date.now()), from: { id: '232323', username: 'ana.b' } }] });
});

describe('instagram.reply-comment', () => {
  it('replies publicly under the comment that started the flow', async () => {
    const result = await runNode(replyComment, { commentId: '90001', contact: { id: '232323' } }, { text: 'Sent you a DM 💌' }, ctx());
    expect(fake.calls[0]).toMatchObject({ method: 'POST', path: '90001/replies', body: { message: 'Sent you a DM 💌' } });
    expect(fake.instagram.replies).toEqual([{ commentId: '90001', id: expect.any(String), message: 'Sent you a DM 💌' }]);
    expect(result).toEqual({ main: { replyId: fake.instagram.replies[0]?.id, commentId: '90001' } });
  });

  it('needs a comment id', async () => {
    expect((await stepFailure(runNode(replyComment, {}, { text: 'x' }, ctx()))).message).toBe('commentId: empty, and the incoming message has no commentId');
    expect((await stepFailure(runNode(replyComment, {}, { commentId: 'abc', text: 'x' }, ctx()))).message).toMatch(/^commentId: "abc" is not a comment id/);
    expect(fake.calls).toHaveLength(0);
  });
});
