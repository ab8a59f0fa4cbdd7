import { describe, expect, it } from 'vitest';
import type { InboundEvent } from '@switchyard/sdk';
import { metaJson, waMessage, waStatus, waText, whatsappDelivery } from '../../meta/fake-webhooks.js';
import { propsIssues } from '../../meta/testing.js';
import { runNode } from '../../../testing.js';
import { parseWhatsAppDelivery } from '../parse.js';
import trigger, { type WhatsAppTriggerProps } from './index.js';

const business = { wabaId: '1', phoneNumberId: '106540352242922', displayPhoneNumber: '15550783881' };
const events = parseWhatsAppDelivery(new TextEncoder().encode(metaJson(whatsappDelivery(business, [[{
  contacts: [{ waId: '16505551234', name: 'Sheena' }],
  messages: [
    waText('16505551234', 'Where is my ORDER 42?', { id: 'wamid.text' }),
    waMessage('16505551234', 'image', { id: 'M1', mime_type: 'image/jpeg' }, { id: 'wamid.image' }),
    waMessage('16505551234', 'reaction', { message_id: 'wamid.out', emoji: '👍' }, { id: 'wamid.reaction' }),
  ],
  statuses: [waStatus('wamid.out', '16505551234', 'read')],
}]]))), business.phoneNumberId);
const matching = (props: Partial<WhatsAppTriggerProps>) => {
  const parsed = trigger.props.parse(props);
  return events.filter((e: InboundEvent) => trigger.trigger!.channel!.matches(e, parsed)).map((e) => e.id);
};

describe('whatsapp.trigger', () => {
  it('starts on messages only by default: statuses and reactions need to be picked', () => {
    expect(matching({})).toEqual(['wamid.text', 'wamid.image']);
    expect(matching({ events: ['status'] })).toEqual(['status:wamid.out:read']);
    expect(matching({ events: ['message', 'reaction'] })).toEqual(['wamid.text', 'wamid.image', 'wamid.reaction']);
  });

  it('filters on message type and on the text', () => {
    expect(matching({ messageTypes: ['image'] })).toEqual(['wamid.image']);
    expect(matching({ textFilter: 'contains', pattern: 'order' })).toEqual(['wamid.text']);
    expect(matching({ textFilter: 'regex', pattern: '/order (\\d+)/i' })).toEqual(['wamid.text']);
    expect(matching({ textFilter: 'startsWith', pattern: 'hello' })).toEqual([]);
    // A status passes text filters: it has no text, and the user picked statuses on purpose.
    expect(matching({ events: ['status'], textFilter: 'contains', pattern: 'order' })).toEqual(['status:wamid.out:read']);
  });

  it('refuses a bad regex as a props error, honours the handoff setting and passes the event on', async () => {
    expect(propsIssues(trigger.props, { textFilter: 'regex', pattern: '([a-z]+)*x' })[0]).toMatch(/^pattern: a repeated group/);
    expect(propsIssues(trigger.props, { events: [] })).toEqual(['events: pick at least one event']);
    expect(trigger.trigger!.channel!.honoursHandoff!(trigger.props.parse({}))).toBe(true);
    expect(trigger.trigger!.channel!.honoursHandoff!(trigger.props.parse({ pauseOnHandoff: false }))).toBe(false);
    expect(await runNode(trigger, { text: 'hi' }, {})).toEqual({ main: { text: 'hi' } });
  });
});
