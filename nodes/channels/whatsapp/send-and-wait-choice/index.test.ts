import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputPorts } from '@switchyard/sdk';
import { startGraphFake, type GraphFake } from '../../meta/fake.js';
import { channelTestContext, localHttp, propsIssues, whatsappCredential } from '../../meta/testing.js';
import { runNode } from '../../../testing.js';
import sendAndWaitChoice from './index.js';

let fake: GraphFake;
const http = localHttp();
const choices = [{ id: 'yes', title: 'Yes' }, { id: 'later', title: 'Remind me later' }];

beforeAll(async () => { fake = await startGraphFake(); });
afterAll(async () => { http.close(); await fake.close(); });

describe('whatsapp.send-and-wait-choice', () => {
  it('has an output per choice, then other and timeout', () => {
    expect(outputPorts(sendAndWaitChoice, sendAndWaitChoice.props.parse({ text: 'Confirm?', choices }))).toEqual(['yes', 'later', 'other', 'timeout']);
  });

  it('validates choices as WhatsApp reply buttons: at most 3, titles up to 20, ids usable as outputs', () => {
    const four = [...choices, { id: 'no', title: 'No' }, { id: 'maybe', title: 'Maybe' }];
    expect(propsIssues(sendAndWaitChoice.props, { text: 'x', choices: four })).toEqual(['choices: WhatsApp shows at most 3 reply buttons']);
    expect(propsIssues(sendAndWaitChoice.props, { text: 'x', choices: [{ id: 'timeout', title: 'Later' }] })).toEqual(['choices.0.id: "timeout" is reserved; pick another id']);
    expect(propsIssues(sendAndWaitChoice.props, { text: 'x', choices: [{ id: 'Yes!', title: 'Yes' }] })[0]).toMatch(/^choices\.0\.id: use lowercase letters/);
    expect(propsIssues(sendAndWaitChoice.props, { text: 'x', choices: [{ id: 'a', title: 'x'.repeat(21) }] })).toEqual(['choices.0.title: at most 20 characters']);
  });

  it('a resumed run continues on the tapped button\'s output without sending again', async () => {
    const tap = { eventType: 'message', contact: { id: '16505551234' }, message: { providerMessageId: 'wamid.T', messageType: 'interactive', text: 'Remind me later', choice: { id: 'later', title: 'Remind me later' } } };
    const resumed = channelTestContext(http, whatsappCredential(fake), { resumed: { kind: 'event', name: 'channel-reply', payload: tap } });
    expect(await runNode(sendAndWaitChoice, null, { text: 'Confirm?', choices }, resumed)).toEqual({ later: tap });
    const typed = { ...tap, message: { providerMessageId: 'wamid.U', messageType: 'text', text: 'yes' } };
    expect(await runNode(sendAndWaitChoice, null, { text: 'Confirm?', choices }, channelTestContext(http, whatsappCredential(fake), { resumed: { kind: 'event', name: 'channel-reply', payload: typed } }))).toEqual({ yes: typed });
    expect(fake.calls).toHaveLength(0);
  });
});
