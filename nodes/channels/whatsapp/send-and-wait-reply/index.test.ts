import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGraphFake, type GraphFake } from '../../meta/fake.js';
import { channelTestContext, localHttp, stepFailure, whatsappCredential } from '../../meta/testing.js';
import { runNode } from '../../../testing.js';
import sendAndWaitReply from './index.js';

let fake: GraphFake;
const http = localHttp();

beforeAll(async () => { fake = await startGraphFake(); });
afterAll(async () => { http.close(); await fake.close(); });
beforeEach(() => fake.reset());

// The first run (send, then park on the conversation store) is covered end to end in ../gateway.test.ts.
describe('whatsapp.send-and-wait-reply', () => {
  it('a resumed run routes the reply or the timeout and never sends again', async () => {
    const reply = { eventType: 'message', contact: { id: '16505551234' }, message: { providerMessageId: 'wamid.R', messageType: 'text', text: 'Tuesday' } };
    const onReply = channelTestContext(http, whatsappCredential(fake), { resumed: { kind: 'event', name: 'channel-reply', payload: reply } });
    expect(await runNode(sendAndWaitReply, { asked: 1 }, { text: 'Which day?' }, onReply)).toEqual({ reply });
    const onTimer = channelTestContext(http, whatsappCredential(fake), { resumed: { kind: 'timer' } });
    expect(await runNode(sendAndWaitReply, { asked: 1 }, { text: 'Which day?' }, onTimer)).toEqual({ timeout: { asked: 1 } });
    expect(fake.calls).toHaveLength(0);
  });

  it('without a conversation store it fails before sending', async () => {
    const error = await stepFailure(runNode(sendAndWaitReply, { contact: { id: '16505551234' } }, { text: 'Which day?' }, channelTestContext(http, whatsappCredential(fake))));
    expect(error.code).toBe('no_conversations');
    expect(fake.calls).toHaveLength(0);
  });
});
