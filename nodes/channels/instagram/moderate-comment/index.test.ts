import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { graphTime } from '../../meta/fake-instagram.js';
import { startGraphFake, type GraphFake } from '../../meta/fake.js';
import { channelTestContext, instagramCredential, localHttp } from '../../meta/testing.js';
import { runNode } from '../../../testing.js';
import moderateComment from './index.js';

let fake: GraphFake;
const http = localHttp();
const ctx = () => channelTestContext(http, instagramCredential(fake));

beforeAll(async () => { fake = await startGraphFake(); });
afterAll(async () => { http.close(); await fake.close(); });
beforeEach(() => {
  fake.reset();
  fake.instagram.addMedia({ id: '70001', timestamp: graphTime(Date.now()), comments: [{ id: '90001', text: 'spam spam', timestamp: graphTime(Date.now()), from: { id: '1', username: 'bot' } }] });
});

describe('instagram.moderate-comment', () => {
  it('hides, unhides and deletes the comment', async () => {
    expect(await runNode(moderateComment, { commentId: '90001' }, {}, ctx())).toEqual({ main: { commentId: '90001', action: 'hide', success: true } });
    expect(fake.instagram.comment('90001')?.hidden).toBe(true);
    await runNode(moderateComment, { commentId: '90001' }, { action: 'unhide' }, ctx());
    expect(fake.instagram.comment('90001')?.hidden).toBe(false);
    await runNode(moderateComment, null, { commentId: '90001', action: 'delete' }, ctx());
    expect(fake.instagram.deleted).toEqual(['90001']);
    expect(fake.calls.map((c) => `${c.method} ${c.path} ${JSON.stringify(c.body)}`)).toEqual([
      'POST 90001 {"hide":true}', 'POST 90001 {"hide":false}', 'DELETE 90001 null',
    ]);
  });
});
