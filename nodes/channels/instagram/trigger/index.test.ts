import { describe, expect, it } from 'vitest';
import { igMessaging, igText, instagramDelivery, metaJson } from '../../meta/fake-webhooks.js';
import { parseInstagramDelivery } from '../parse.js';
import trigger, { type InstagramTriggerProps } from './index.js';

const ACCOUNT = '17841400000000001';
const P = '6143260889082201';
const events = parseInstagramDelivery(new TextEncoder().encode(metaJson(instagramDelivery(ACCOUNT, [{ messaging: [
  igText(P, ACCOUNT, 'price please', { mid: 'mid.text' }),
  igMessaging(P, ACCOUNT, { message: { mid: 'mid.story', text: 'wow', reply_to: { story: { id: '1', url: 'https://x/s' } } } }),
  igMessaging(P, ACCOUNT, { postback: { mid: 'mid.pb', title: 'Price', payload: 'PRICE' } }),
  igMessaging(P, ACCOUNT, { reaction: { mid: 'mid.text', action: 'react', emoji: '😍' } }),
  igMessaging(P, ACCOUNT, { read: { mid: 'mid.out' } }),
  igMessaging(ACCOUNT, P, { message: { mid: 'mid.echo', text: 'our answer', is_echo: true } }),
] }]))), ACCOUNT);
const matching = (props: Partial<InstagramTriggerProps>) => {
  const parsed = trigger.props.parse(props);
  return events.filter((e) => trigger.trigger!.channel!.matches(e, parsed)).map((e) => e.id);
};

describe('instagram.trigger', () => {
  it('starts on messages and postbacks by default; reactions, reads and echoes when picked', () => {
    expect(matching({})).toEqual(['mid.text', 'mid.story', 'mid.pb']);
    expect(matching({ events: ['reaction', 'status', 'echo'] })).toEqual([events[3]!.id, 'status:mid.out:read', 'echo:mid.echo']);
  });

  it('filters on message type (story replies) and text', () => {
    expect(matching({ messageTypes: ['story_reply'] })).toEqual(['mid.story', 'mid.pb']);
    expect(matching({ textFilter: 'contains', pattern: 'PRICE' })).toEqual(['mid.text', 'mid.pb']);
  });
});
