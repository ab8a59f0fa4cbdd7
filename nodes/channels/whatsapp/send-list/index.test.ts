import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGraphFake, type GraphFake } from '../../meta/fake.js';
import { channelTestContext, localHttp, propsIssues, stepFailure, whatsappCredential } from '../../meta/testing.js';
import { runNode } from '../../../testing.js';
import sendList from './index.js';

let fake: GraphFake;
const http = localHttp();
const ctx = () => channelTestContext(http, whatsappCredential(fake));
const to = '+14155552671';

beforeAll(async () => { fake = await startGraphFake(); });
afterAll(async () => { http.close(); await fake.close(); });
beforeEach(() => fake.reset());

describe('whatsapp.send-list', () => {
  it('groups rows into sections in order and sends the list message', async () => {
    await runNode(sendList, null, {
      to, text: 'Pick a colour', button: 'Colours',
      rows: [
        { section: 'Warm', id: 'red', title: 'Red' },
        { section: 'Cool', id: 'blue', title: 'Blue', description: 'Navy or sky' },
        { section: 'Warm', id: 'amber', title: 'Amber' },
      ],
    }, ctx());
    expect(fake.whatsappMessages[0]?.body.interactive).toEqual({
      type: 'list', body: { text: 'Pick a colour' },
      action: {
        button: 'Colours',
        sections: [
          { title: 'Warm', rows: [{ id: 'red', title: 'Red' }, { id: 'amber', title: 'Amber' }] },
          { title: 'Cool', rows: [{ id: 'blue', title: 'Blue', description: 'Navy or sky' }] },
        ],
      },
    });
  });

  it('refuses more than 10 rows, long row texts, and untitled sections among several', async () => {
    const rows = Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` }));
    expect(propsIssues(sendList.props, { text: 'x', button: 'Go', rows })).toEqual(['rows: WhatsApp lists hold at most 10 rows']);
    expect(propsIssues(sendList.props, { text: 'x', button: 'Go', rows: [{ id: 'a', title: 'A row text longer than 24' }] })).toEqual(['rows.0.title: at most 24 characters']);
    const error = await stepFailure(runNode(sendList, null, { to, text: 'x', button: 'Go', rows: [{ id: 'a', title: 'A' }, { section: 'S', id: 'b', title: 'B' }] }, ctx()));
    expect(error.message).toBe('rows: with several sections, every row needs its section title');
    expect(fake.calls).toHaveLength(0);
  });
});
