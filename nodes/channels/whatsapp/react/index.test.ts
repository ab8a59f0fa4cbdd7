import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGraphFake, type GraphFake } from '../../meta/fake.js';
import { channelTestContext, localHttp, stepFailure, whatsappCredential } from '../../meta/testing.js';
import { runNode } from '../../../testing.js';
import react from './index.js';

let fake: GraphFake;
const http = localHttp();
const ctx = () => channelTestContext(http, whatsappCredential(fake));

beforeAll(async () => { fake = await startGraphFake(); });
afterAll(async () => { http.close(); await fake.close(); });
beforeEach(() => fake.reset());

describe('whatsapp.react', () => {
  it('reacts to the incoming message by default, and removes a reaction with an empty emoji', async () => {
    const incoming = { contact: { id: '16505551234' }, messageId: 'wamid.IN7' };
    const result = await runNode(react, incoming, { emoji: '❤️' }, ctx());
    await runNode(react, incoming, { emoji: '', messageId: 'wamid.OTHER' }, ctx());
    expect(fake.whatsappMessages.map((m) => m.body.reaction)).toEqual([{ message_id: 'wamid.IN7', emoji: '❤️' }, { message_id: 'wamid.OTHER', emoji: '' }]);
    expect(result).toMatchObject({ main: { reactedTo: 'wamid.IN7', emoji: '❤️' } });
  });

  it('needs a message to react to', async () => {
    expect((await stepFailure(runNode(react, { contact: { id: '16505551234' } }, {}, ctx()))).message).toBe('messageId: empty, and the incoming message has no messageId');
  });
});
