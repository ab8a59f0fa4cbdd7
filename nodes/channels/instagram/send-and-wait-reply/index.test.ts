import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGraphFake, type GraphFake } from '../../meta/fake.js';
import { channelTestContext, instagramCredential, localHttp, stepFailure } from '../../meta/testing.js';
import { runNode } from '../../../testing.js';
import sendAndWaitReply from './index.js';

let fake: GraphFake;
const http = localHttp();

beforeAll(async () => { fake = await startGraphFake(); });
afterAll(async () => { http.close(); await fake.close(); });
beforeEach(() => fake.reset());

// The first run (send, then park on the conversation store) is covered end to end in ../gateway.test.ts.
describe('instagram.send-and-wait-reply', () => {
  it('a resumed run routes the reply or the timeout and never sends again', async () => {
    const reply = { eventType: 'message', contact: { id: '6143260889082201' }, message: { providerMessageId: 'mid.r', messageType: 'text', text: 'M' } };
    const resumed = channelTestContext(http, instagramCredential(fake), { resumed: { kind: 'event', name: 'channel-reply', payload: reply } });
    expect(await runNode(sendAndWaitReply, null, { text: 'Size?' }, resumed)).toEqual({ reply });
    expect(await runNode(sendAndWaitReply, 'in', { text: 'Size?' }, channelTestContext(http, instagramCredential(fake), { resumed: { kind: 'timer' } }))).toEqual({ timeout: 'in' });
    expect(fake.calls).toHaveLength(0);
  });

  it('without a conversation store it fails before sending', async () => {
    expect((await stepFailure(runNode(sendAndWaitReply, { contact: { id: '6143260889082201' } }, { text: 'Size?' }, channelTestContext(http, instagramCredential(fake))))).code).toBe('no_conversations');
    expect(fake.calls).toHaveLength(0);
  });
});
