import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGraphFake, type GraphFake } from '../../meta/fake.js';
import { channelTestContext, localHttp, propsIssues, stepFailure, whatsappCredential } from '../../meta/testing.js';
import { runNode } from '../../../testing.js';
import sendTemplate from './index.js';

let fake: GraphFake;
const http = localHttp();
const ctx = () => channelTestContext(http, whatsappCredential(fake));

beforeAll(async () => { fake = await startGraphFake(); });
afterAll(async () => { http.close(); await fake.close(); });
beforeEach(() => fake.reset());

describe('whatsapp.send-template', () => {
  it('sends the template with header, body and button parameters in Graph\'s component shape', async () => {
    const result = await runNode(sendTemplate, null, {
      to: '+919876543210', name: 'order_update', language: 'en_US',
      headerText: [{ value: 'Order #123' }],
      body: [{ value: 'Priya' }, { value: '₹1,499' }],
      buttons: [{ index: 0, kind: 'url', value: 'orders/123' }, { index: 1, kind: 'quick_reply', value: 'STOP' }],
    }, ctx());
    expect(fake.whatsappMessages[0]?.body).toEqual({
      messaging_product: 'whatsapp', recipient_type: 'individual', to: '+919876543210', type: 'template',
      template: {
        name: 'order_update', language: { code: 'en_US' },
        components: [
          { type: 'header', parameters: [{ type: 'text', text: 'Order #123' }] },
          { type: 'body', parameters: [{ type: 'text', text: 'Priya' }, { type: 'text', text: '₹1,499' }] },
          { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'orders/123' }] },
          { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'STOP' }] },
        ],
      },
    });
    expect(result).toMatchObject({ main: { template: 'order_update', to: '+919876543210', messageId: fake.whatsappMessages[0]?.id } });
  });

  it('sends a media header by link and a template without variables without components', async () => {
    await runNode(sendTemplate, null, { to: '+14155552671', name: 'receipt', headerMedia: 'document', headerMediaUrl: 'https://files.example.com/r.pdf' }, ctx());
    await runNode(sendTemplate, null, { to: '+14155552671', name: 'hello_world' }, ctx());
    expect(fake.whatsappMessages[0]?.body.template).toEqual({ name: 'receipt', language: { code: 'en_US' }, components: [{ type: 'header', parameters: [{ type: 'document', document: { link: 'https://files.example.com/r.pdf' } }] }] });
    expect(fake.whatsappMessages[1]?.body.template).toEqual({ name: 'hello_world', language: { code: 'en_US' } });
  });

  it('names the field of a bad header URL, an empty variable or a bad name, and sends nothing', async () => {
    expect((await stepFailure(runNode(sendTemplate, null, { to: '+14155552671', name: 'receipt', headerMedia: 'image', headerMediaUrl: 'ftp://x/y.png' }, ctx()))).message).toMatch(/^headerMediaUrl: /);
    expect((await stepFailure(runNode(sendTemplate, null, { to: '+14155552671', name: 'receipt', body: [{ value: ' ' }] }, ctx()))).message).toMatch(/^body: /);
    expect(propsIssues(sendTemplate.props, { name: 'Order Update' })).toEqual(['name: template names are lowercase letters, digits and _']);
    expect(propsIssues(sendTemplate.props, { name: 'x', headerMedia: 'image', headerText: [{ value: 'a' }] })).toEqual(['headerText: a header is text or media, not both']);
    expect(fake.calls).toHaveLength(0);
  });

  it('a missing template (132001) says to check the name and language', async () => {
    fake.failFor('14155552671', { code: 132001, message: 'Template name does not exist in the translation' });
    const error = await stepFailure(runNode(sendTemplate, null, { to: '+14155552671', name: 'nope' }, ctx()));
    expect(error.code).toBe('template_not_found');
    expect(error.message).toMatch(/132001.*check both in WhatsApp Manager/);
  });
});
