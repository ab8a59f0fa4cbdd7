import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGraphFake, type GraphFake } from '../../meta/fake.js';
import { channelTestContext, localHttp, propsIssues, whatsappCredential } from '../../meta/testing.js';
import { runNode } from '../../../testing.js';
import sendButtons from './index.js';

let fake: GraphFake;
const http = localHttp();
const ctx = () => channelTestContext(http, whatsappCredential(fake));

beforeAll(async () => { fake = await startGraphFake(); });
afterAll(async () => { http.close(); await fake.close(); });
beforeEach(() => fake.reset());

describe('whatsapp.send-buttons', () => {
  it('sends an interactive reply-buttons message', async () => {
    await runNode(sendButtons, { contact: { id: '16505551234' } }, {
      text: 'Was this helpful?', header: 'Support', footer: 'Switchyard',
      buttons: [{ id: 'yes', title: 'Yes 👍' }, { id: 'no', title: 'No' }],
    }, ctx());
    expect(fake.whatsappMessages[0]?.body).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'button', header: { type: 'text', text: 'Support' }, body: { text: 'Was this helpful?' }, footer: { text: 'Switchyard' },
        action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes 👍' } }, { type: 'reply', reply: { id: 'no', title: 'No' } }] },
      },
    });
  });

  it('refuses a fourth button, a title over 20 characters and repeated ids when the flow is saved', () => {
    const button = (id: string, title = id) => ({ id, title });
    expect(propsIssues(sendButtons.props, { text: 'x', buttons: [button('a'), button('b'), button('c'), button('d')] })).toEqual(['buttons: WhatsApp shows at most 3 reply buttons; use a list for more']);
    expect(propsIssues(sendButtons.props, { text: 'x', buttons: [button('a', 'This title is far too long')] })).toEqual(['buttons.0.title: at most 20 characters']);
    expect(propsIssues(sendButtons.props, { text: 'x', buttons: [button('a', 'One'), button('a', 'Two')] })).toEqual(['buttons.1.id: id "a" is used by an earlier button']);
    expect(propsIssues(sendButtons.props, { text: 'x', buttons: [] })).toEqual(['buttons: add at least one button']);
  });
});
