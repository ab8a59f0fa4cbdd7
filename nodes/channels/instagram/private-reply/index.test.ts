import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { graphTime } from '../../meta/fake-instagram.js';
import { startGraphFake, type GraphFake } from '../../meta/fake.js';
import { channelTestContext, instagramCredential, localHttp, stepFailure } from '../../meta/testing.js';
import { runNode } from '../../../testing.js';
import privateReply from './index.js';

let fake: GraphFake;
const http = localHttp();
const ctx = () => channelTestContext(http, instagramCredential(fake));

beforeAll(async () => { fake = await startGraphFake(); });
afterAll(async () => { http.close(); await fake.close(); });
beforeEach(() => {
  fake.reset();
  fake.instagram.addMedia({ id: '70001', timestamp: graphTime(Date.now()), comments: [{ id: '90001', text: 'Price?', timestamp: graphTime(Date.now()), from: { id: '232323', username: 'ana.b' } }] });
});

describe('instagram.private-reply', () => {
  it('sends the commenter a DM addressed by comment id (comment-to-DM)', async () => {
    const result = await runNode(privateReply, { commentId: '90001' }, { text: 'Hi Ana! It is ₹999.' }, ctx());
    expect(fake.instagram.messages[0]?.body).toEqual({ recipient: { comment_id: '90001' }, message: { text: 'Hi Ana! It is ₹999.' } });
    expect(result).toEqual({ main: { messageId: fake.instagram.messages[0]?.mid, recipient: '232323', commentId: '90001' } });
  });

  it('a comment Instagram does not know is a clear step error', async () => {
    const error = await stepFailure(runNode(privateReply, {}, { commentId: '90009', text: 'x' }, ctx()));
    expect(error.message).toMatch(/^Instagram error 100 \(HTTP 400\): No matching comment found/);
  });
});
