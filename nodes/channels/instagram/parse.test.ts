import { describe, expect, it } from 'vitest';
import { InboundPayloadError, type JsonObject } from '@switchyard/sdk';
import { igComment, igMessaging, igText, instagramDelivery, metaJson } from '../meta/fake-webhooks.js';
import { parseInstagramDelivery } from './parse.js';

const ACCOUNT = '17841400000000001';
const PERSON = '6143260889082201';
const T = 1_749_416_383_123;
const parse = (body: unknown) => parseInstagramDelivery(new TextEncoder().encode(metaJson(body)), ACCOUNT);

describe('parseInstagramDelivery', () => {
  it('turns a DM into a message event keyed by its mid, with emoji and escaped unicode intact', () => {
    const [event, ...rest] = parse(instagramDelivery(ACCOUNT, [{ messaging: [igText(PERSON, ACCOUNT, 'Olá! Está disponível? 🙏', { mid: 'mid.1', at: T })] }]));
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      id: 'mid.1', type: 'message', at: T, contact: { id: PERSON },
      message: { providerMessageId: 'mid.1', messageType: 'text', text: 'Olá! Está disponível? 🙏' },
      data: { messageId: 'mid.1', from: PERSON, to: ACCOUNT, messageType: 'text', windowClosesAt: new Date(T + 86_400_000).toISOString() },
    });
  });

  it('reads quick replies, story replies, attachments, postbacks, reactions, reads, edits, deletions and echoes', () => {
    const m = (event: JsonObject) => igMessaging(PERSON, ACCOUNT, event, T);
    const events = parse(instagramDelivery(ACCOUNT, [
      { messaging: [
        igText(PERSON, ACCOUNT, 'Yes', { mid: 'mid.q', quickReply: 'yes', at: T }),
        m({ message: { mid: 'mid.s', text: 'love this', reply_to: { story: { id: '1790', url: 'https://cdn.example/story.jpg' } } } }),
        m({ message: { mid: 'mid.a', attachments: [{ type: 'image', payload: { url: 'https://cdn.example/p.jpg' } }] } }),
        m({ message: { mid: 'mid.sm', attachments: [{ type: 'story_mention', payload: { url: 'https://cdn.example/s.mp4' } }] } }),
      ] },
      { messaging: [
        m({ postback: { mid: 'mid.p', title: 'Talk to sales', payload: 'SALES' } }),
        m({ reaction: { mid: 'mid.q', action: 'react', reaction: 'love', emoji: '❤️' } }),
        m({ reaction: { mid: 'mid.q', action: 'unreact' } }),
        m({ read: { mid: 'mid.out' } }),
        m({ message_edit: { mid: 'mid.q', text: 'Yes!', num_edit: 1 } }),
        m({ message: { mid: 'mid.d', is_deleted: true } }),
        m({ message: { mid: 'mid.u', is_unsupported: true } }),
        igMessaging(ACCOUNT, PERSON, { message: { mid: 'mid.e', text: 'our reply', is_echo: true } }, T),
        m({ optin: { ref: 'x' } }),
      ] },
    ]));
    expect(events.map((e) => [e.id, e.type, e.message?.messageType ?? null])).toEqual([
      ['mid.q', 'message', 'quick_reply'],
      ['mid.s', 'message', 'story_reply'],
      ['mid.a', 'message', 'image'],
      ['mid.sm', 'message', 'story_mention'],
      ['mid.p', 'callback', 'postback'],
      [`reaction:mid.q:react:${T}`, 'reaction', 'reaction'],
      [`reaction:mid.q:unreact:${T}`, 'reaction', 'reaction'],
      ['status:mid.out:read', 'status', null],
      ['edit:mid.q:1', 'edit', 'text'],
      ['deleted:mid.d', 'deleted', null],
      ['mid.u', 'message', 'unknown'],
      ['echo:mid.e', 'echo', null],
    ]);
    expect(events[0]?.message?.choice).toEqual({ id: 'yes', title: 'Yes' });
    expect(events[1]?.data).toMatchObject({ storyReply: { id: '1790', url: 'https://cdn.example/story.jpg' }, text: 'love this' });
    expect(events[2]?.message?.media).toEqual([{ kind: 'image', url: 'https://cdn.example/p.jpg' }]);
    expect(events[4]?.message?.choice).toEqual({ id: 'SALES', title: 'Talk to sales' });
    expect(events[5]?.message?.text).toBe('❤️');
    expect(events[7]?.status).toEqual({ providerMessageId: 'mid.out', status: 'read', at: T });
    // An echo is the account speaking to the person: the person is still the contact.
    expect(events[11]?.contact).toEqual({ id: PERSON });
  });

  it('turns comment changes into comment events keyed by comment id, marking the account\'s own', () => {
    const events = parse(instagramDelivery(ACCOUNT, [{ changes: [
      igComment({ id: '17865799348089039', text: 'Price? 💸', from: { id: '232323', username: 'ana.b' }, mediaId: '17887498072083520' }),
      igComment({ id: '17865799348089040', text: 'DM sent!', from: { id: ACCOUNT, username: 'switchyard_shop' }, mediaId: '17887498072083520', parentId: '17865799348089039' }),
    ] }], 1_749_416_383));
    expect(events[0]).toMatchObject({
      id: '17865799348089039', type: 'comment', at: 1_749_416_383_000, contact: { id: '232323', name: 'ana.b' },
      message: { providerMessageId: '17865799348089039', messageType: 'comment', text: 'Price? 💸' },
      data: { commentId: '17865799348089039', mediaId: '17887498072083520', parentId: null, fromSelf: false, source: 'webhook', from: { id: '232323', username: 'ana.b' } },
    });
    expect(events[1]?.data).toMatchObject({ parentId: '17865799348089039', fromSelf: true });
  });

  it('refuses malformed deliveries naming the path', () => {
    const refuse = (body: unknown) => {
      const error = (() => { try { parse(body); } catch (e) { return e; } return undefined; })();
      expect(error).toBeInstanceOf(InboundPayloadError);
      return (error as Error).message;
    };
    expect(refuse(instagramDelivery(ACCOUNT, [{ messaging: [{ recipient: { id: ACCOUNT }, timestamp: T, message: { mid: 'm', text: 'x' } }] }]))).toBe('entry[0].messaging[0].sender is missing');
    expect(refuse(instagramDelivery(ACCOUNT, [{ messaging: [igMessaging(PERSON, ACCOUNT, { message: { text: 'no mid' } })] }]))).toBe('entry[0].messaging[0].message.mid is missing');
    expect(refuse(instagramDelivery(ACCOUNT, [{ changes: [{ field: 'comments', value: { id: '1', text: 'x' } }] }]))).toBe('entry[0].changes[0].value.from is missing');
    expect(refuse({ object: 'whatsapp_business_account', entry: [] })).toMatch(/object is "whatsapp_business_account"/);
  });
});
