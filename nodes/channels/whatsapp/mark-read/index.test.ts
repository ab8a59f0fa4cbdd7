import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGraphFake, type GraphFake } from '../../meta/fake.js';
import { channelTestContext, localHttp, whatsappCredential } from '../../meta/testing.js';
import { runNode } from '../../../testing.js';
import markRead from './index.js';

let fake: GraphFake;
const http = localHttp();
const ctx = () => channelTestContext(http, whatsappCredential(fake));

beforeAll(async () => { fake = await startGraphFake(); });
afterAll(async () => { http.close(); await fake.close(); });
beforeEach(() => fake.reset());

describe('whatsapp.mark-read', () => {
  it('marks the incoming message as read, with a typing indicator when asked', async () => {
    expect(await runNode(markRead, { messageId: 'wamid.IN1' }, {}, ctx())).toEqual({ main: { messageId: 'wamid.IN1', success: true } });
    await runNode(markRead, null, { messageId: 'wamid.IN2', typing: true }, ctx());
    expect(fake.readReceipts).toEqual(['wamid.IN1', 'wamid.IN2']);
    expect(fake.calls.map((c) => c.body)).toEqual([
      { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.IN1' },
      { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.IN2', typing_indicator: { type: 'text' } },
    ]);
    expect(fake.whatsappMessages).toHaveLength(0);
  });
});
