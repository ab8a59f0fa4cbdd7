import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputPorts } from '@switchyard/sdk';
import { startGraphFake, type GraphFake } from '../../meta/fake.js';
import { channelTestContext, instagramCredential, localHttp, propsIssues } from '../../meta/testing.js';
import { runNode } from '../../../testing.js';
import sendAndWaitChoice from './index.js';

let fake: GraphFake;
const http = localHttp();
const choices = [{ id: 'small', title: 'Small' }, { id: 'large', title: 'Large' }];

beforeAll(async () => { fake = await startGraphFake(); });
afterAll(async () => { http.close(); await fake.close(); });

describe('instagram.send-and-wait-choice', () => {
  it('has an output per quick reply, then other and timeout; at most 13', () => {
    expect(outputPorts(sendAndWaitChoice, sendAndWaitChoice.props.parse({ text: 'Size?', choices }))).toEqual(['small', 'large', 'other', 'timeout']);
    const many = Array.from({ length: 14 }, (_, i) => ({ id: `c${i}`, title: `C${i}` }));
    expect(propsIssues(sendAndWaitChoice.props, { text: 'x', choices: many })).toEqual(['choices: Instagram shows at most 13 quick replies']);
  });

  it('a resumed run continues on the tapped quick reply\'s output without sending again', async () => {
    const tap = { eventType: 'message', contact: { id: '6143260889082201' }, message: { providerMessageId: 'mid.t', messageType: 'quick_reply', text: 'Large', choice: { id: 'large', title: 'Large' } } };
    const resumed = channelTestContext(http, instagramCredential(fake), { resumed: { kind: 'event', name: 'channel-reply', payload: tap } });
    expect(await runNode(sendAndWaitChoice, null, { text: 'Size?', choices }, resumed)).toEqual({ large: tap });
    expect(fake.calls).toHaveLength(0);
  });
});
