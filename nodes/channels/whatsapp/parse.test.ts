import { describe, expect, it } from 'vitest';
import { InboundPayloadError, type InboundEvent, type JsonObject } from '@switchyard/sdk';
import { metaJson, waButtonReply, waMessage, waStatus, waText, whatsappDelivery, type WhatsAppBusiness } from '../meta/fake-webhooks.js';
import { parseWhatsAppDelivery } from './parse.js';

const business: WhatsAppBusiness = { wabaId: '102290129340398', phoneNumberId: '106540352242922', displayPhoneNumber: '15550783881' };
const T = 1_749_416_383_000;
const parse = (body: unknown) => parseWhatsAppDelivery(new TextEncoder().encode(metaJson(body)), business.phoneNumberId);
const one = (message: JsonObject): InboundEvent => {
  const events = parse(whatsappDelivery(business, [[{ contacts: [{ waId: '16505551234', name: 'Sheena Nelson' }], messages: [message] }]]));
  expect(events).toHaveLength(1);
  return events[0]!;
};

describe('parseWhatsAppDelivery', () => {
  it('turns a text message into a message event keyed by its wamid, with the 24-hour window', () => {
    const event = one(waText('16505551234', 'Does it come in another colour? 😀 café', { id: 'wamid.A1', at: T }));
    expect(event).toMatchObject({
      id: 'wamid.A1', type: 'message', at: T,
      contact: { id: '16505551234', name: 'Sheena Nelson' },
      message: { providerMessageId: 'wamid.A1', messageType: 'text', text: 'Does it come in another colour? 😀 café' },
      data: {
        messageId: 'wamid.A1', from: '16505551234', name: 'Sheena Nelson', phoneNumberId: business.phoneNumberId, displayPhoneNumber: '15550783881',
        messageType: 'text', text: 'Does it come in another colour? 😀 café',
        timestamp: new Date(T).toISOString(), windowClosesAt: new Date(T + 86_400_000).toISOString(),
      },
    });
    expect(event.data).toHaveProperty('raw.text.body', 'Does it come in another colour? 😀 café');
  });

  it('splits a batched delivery (entries × changes × messages) into one event per message and status, statuses included before their message', () => {
    const delivery = whatsappDelivery(business, [
      [
        { statuses: [waStatus('wamid.OUT1', '16505551234', 'delivered', { at: T }), waStatus('wamid.OUT1', '16505551234', 'sent', { at: T - 1000 })] },
        { contacts: [{ waId: '16505551234', name: 'Sheena' }, { waId: '447911123456', name: 'Ali' }], messages: [waText('16505551234', 'one', { id: 'wamid.1', at: T }), waText('447911123456', 'two', { id: 'wamid.2', at: T })] },
      ],
      [{ contacts: [{ waId: '919876543210', name: 'Priya' }], messages: [waText('919876543210', 'three', { id: 'wamid.3', at: T })], statuses: [waStatus('wamid.OUT2', '919876543210', 'read', { at: T })] }],
    ]);
    const events = parse(delivery);
    expect(events.map((e) => `${e.type} ${e.id}`)).toEqual([
      'status status:wamid.OUT1:delivered', 'status status:wamid.OUT1:sent',
      'message wamid.1', 'message wamid.2',
      'message wamid.3', 'status status:wamid.OUT2:read',
    ]);
    expect(events.map((e) => e.contact?.name)).toEqual([undefined, undefined, 'Sheena', 'Ali', 'Priya', undefined]);
  });

  it('makes each status its own event with the error of a failure', () => {
    const [failed] = parse(whatsappDelivery(business, [[{ statuses: [waStatus('wamid.OUT9', '16505551234', 'failed', { at: T, error: { code: 131047, title: 'Re-engagement message' } })] }]]));
    expect(failed).toMatchObject({
      id: 'status:wamid.OUT9:failed', type: 'status', contact: { id: '16505551234' },
      status: { providerMessageId: 'wamid.OUT9', status: 'failed', at: T, error: { code: '131047', message: 'Re-engagement message' } },
      data: { messageId: 'wamid.OUT9', deliveryStatus: 'failed', error: { code: '131047', message: 'Re-engagement message' } },
    });
    expect(failed?.message).toBeUndefined();
  });

  it('reads media, location, contacts, replies to buttons and lists, template buttons, reactions, orders and system messages', () => {
    const from = '16505551234';
    expect(one(waMessage(from, 'image', { id: 'MEDIA1', mime_type: 'image/jpeg', sha256: 'x', caption: 'receipt' })).message).toEqual({
      providerMessageId: expect.any(String), messageType: 'image', text: 'receipt', media: [{ kind: 'image', id: 'MEDIA1', mimeType: 'image/jpeg', caption: 'receipt' }],
    });
    expect(one(waMessage(from, 'document', { id: 'D1', mime_type: 'application/pdf', filename: 'invoice.pdf' })).message?.media).toEqual([{ kind: 'document', id: 'D1', mimeType: 'application/pdf', fileName: 'invoice.pdf' }]);
    for (const kind of ['audio', 'video', 'sticker']) expect(one(waMessage(from, kind, { id: 'M', mime_type: 'x/y' })).message?.messageType).toBe(kind);
    expect(one(waMessage(from, 'location', { latitude: 37.48, longitude: -122.14, name: 'HQ', address: '1 Hacker Way' })).data).toMatchObject({ messageType: 'location', location: { latitude: 37.48, longitude: -122.14, name: 'HQ' } });
    expect(one({ ...waMessage(from, 'contacts', undefined), contacts: [{ name: { formatted_name: 'Jo' }, phones: [{ phone: '+1 555' }] }] }).data).toMatchObject({ messageType: 'contacts', contacts: [{ name: { formatted_name: 'Jo' } }] });
    const button = one(waButtonReply(from, { id: 'yes', title: 'Yes' }, { context: { from: business.displayPhoneNumber, id: 'wamid.Q' } }));
    expect(button.message).toMatchObject({ messageType: 'interactive', text: 'Yes', choice: { id: 'yes', title: 'Yes' } });
    expect(button.data).toMatchObject({ interactiveType: 'button_reply', replyTo: 'wamid.Q', choice: { id: 'yes', title: 'Yes' } });
    expect(one(waMessage(from, 'interactive', { type: 'list_reply', list_reply: { id: 'row-2', title: 'Blue', description: 'Navy' } })).message?.choice).toEqual({ id: 'row-2', title: 'Blue' });
    expect(one(waMessage(from, 'button', { payload: 'STOP_PROMOS', text: 'Stop promotions' })).message).toMatchObject({ messageType: 'button', choice: { id: 'STOP_PROMOS', title: 'Stop promotions' } });
    const reaction = one(waMessage(from, 'reaction', { message_id: 'wamid.OUT1', emoji: '❤️' }));
    expect(reaction).toMatchObject({ type: 'reaction', message: { messageType: 'reaction', text: '❤️' }, data: { reaction: { messageId: 'wamid.OUT1', emoji: '❤️' } } });
    expect(one(waMessage(from, 'reaction', { message_id: 'wamid.OUT1' })).data).toMatchObject({ reaction: { emoji: null } });
    expect(one(waMessage(from, 'order', { catalog_id: 'C', product_items: [{ product_retailer_id: 'sku', quantity: 2 }], text: 'asap' })).data).toMatchObject({ messageType: 'order', text: 'asap', order: { catalog_id: 'C' } });
    expect(one(waMessage(from, 'system', { body: 'changed number', type: 'user_changed_number', new_wa_id: '1999' })).message).toMatchObject({ messageType: 'system', text: 'changed number' });
  });

  it('passes unsupported and future types on as `unknown` with the raw message', () => {
    const unsupported = one({ ...waMessage('16505551234', 'unsupported', undefined), errors: [{ code: 131051, title: 'Message type unknown' }] });
    expect(unsupported.message).toMatchObject({ messageType: 'unknown' });
    expect(unsupported.data).toMatchObject({ originalType: 'unsupported', errors: [{ code: 131051 }], raw: { type: 'unsupported' } });
    expect(one(waMessage('16505551234', 'hologram', { id: 'H' })).data).toMatchObject({ messageType: 'unknown', originalType: 'hologram', raw: { hologram: { id: 'H' } } });
  });

  it('leaves out other phone numbers of the same app, other fields and statuses it has no place for', () => {
    const other = whatsappDelivery({ ...business, phoneNumberId: '999999999999' }, [[{ messages: [waText('1', 'x')] }]]);
    expect(parse(other)).toEqual([]);
    const templateUpdate = { object: 'whatsapp_business_account', entry: [{ id: business.wabaId, changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED' } }] }] };
    expect(parse(templateUpdate)).toEqual([]);
    expect(parse(whatsappDelivery(business, [[{ statuses: [{ ...waStatus('wamid.X', '1', 'sent'), status: 'deleted' }] }]]))).toEqual([]);
  });

  it('refuses malformed deliveries naming the path', () => {
    const refuse = (body: unknown) => {
      try {
        parse(body);
      } catch (error) {
        expect(error).toBeInstanceOf(InboundPayloadError);
        return (error as Error).message;
      }
      throw new Error('expected a refusal');
    };
    const noFrom = whatsappDelivery(business, [[{ messages: [waText('1', 'ok'), { id: 'wamid.2', timestamp: '1', type: 'text', text: { body: 'x' } }] }]]);
    expect(refuse(noFrom)).toBe('entry[0].changes[0].value.messages[1].from is missing');
    expect(refuse({ object: 'page', entry: [] })).toMatch(/object is "page"/);
    expect(refuse({ object: 'whatsapp_business_account' })).toBe('entry is missing');
    expect(refuse({ object: 'whatsapp_business_account', entry: [{ id: '1' }] })).toBe('entry[0].changes is missing');
    const noText = whatsappDelivery(business, [[{ messages: [waMessage('1', 'text', undefined)] }]]);
    expect(refuse(noText)).toBe('entry[0].changes[0].value.messages[0].text is missing');
    const badTime = whatsappDelivery(business, [[{ messages: [{ ...waText('1', 'x'), timestamp: 'yesterday' }] }]]);
    expect(refuse(badTime)).toBe('entry[0].changes[0].value.messages[0].timestamp must be a seconds timestamp');
    expect(() => parseWhatsAppDelivery(new TextEncoder().encode('{"object":"whatsapp_business_account","entry":[{"id'), business.phoneNumberId)).toThrow(/not JSON/);
  });
});
