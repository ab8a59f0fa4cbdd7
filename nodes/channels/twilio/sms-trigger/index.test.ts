import { describe, expect, it } from 'vitest';
import type { InboundDelivery } from '@switchyard/sdk';
import { createTestContext, runNode } from '../../../testing.js';
import { inboundSmsParams } from '../fake.js';
import { parseTwilioDelivery } from '../inbound.js';
import smsTrigger from './index.js';

const ACCOUNT = 'AC' + 'd'.repeat(32);
function event(from: string, body: string) {
  const params = inboundSmsParams({ accountSid: ACCOUNT, from, to: '+15005550006', body });
  const delivery: InboundDelivery = { method: 'POST', url: 'https://x', headers: {}, query: {}, rawBody: new TextEncoder().encode(new URLSearchParams(params).toString()) };
  return parseTwilioDelivery(delivery)[0]!;
}
const status = parseTwilioDelivery({ method: 'POST', url: 'https://x', headers: {}, query: {}, rawBody: new TextEncoder().encode(`MessageSid=SM${'e'.repeat(32)}&MessageStatus=delivered&To=%2B14155550123`) })[0]!;

const matches = (e: ReturnType<typeof event>, props: Record<string, unknown>) => smsTrigger.trigger!.channel!.matches(e, smsTrigger.props.parse(props));

describe('twilio.sms-trigger', () => {
  it('matches incoming messages, and statuses only when picked', () => {
    expect(matches(event('+14155550123', 'hi'), {})).toBe(true);
    expect(matches(status, {})).toBe(false);
    expect(matches(status, { events: ['message', 'status'] })).toBe(true);
  });

  it('filters SMS from WhatsApp and by keyword', () => {
    expect(matches(event('whatsapp:+14155550123', 'hi'), { channel: 'sms' })).toBe(false);
    expect(matches(event('whatsapp:+14155550123', 'hi'), { channel: 'whatsapp' })).toBe(true);
    expect(matches(event('+14155550123', 'hi'), { channel: 'whatsapp' })).toBe(false);
    expect(matches(event('+14155550123', 'please STOP'), { textFilter: 'contains', pattern: 'stop' })).toBe(true);
    expect(matches(event('+14155550123', 'hello'), { textFilter: 'contains', pattern: 'stop' })).toBe(false);
  });

  it('honours a human takeover by default, and passes the gateway payload on unchanged', async () => {
    expect(smsTrigger.trigger!.channel!.honoursHandoff!(smsTrigger.props.parse({}))).toBe(true);
    expect(smsTrigger.trigger!.channel!.honoursHandoff!(smsTrigger.props.parse({ pauseOnHandoff: false }))).toBe(false);
    const input = { text: 'hi', eventId: 'SM1' };
    expect(await runNode(smsTrigger, input, {}, createTestContext())).toEqual({ main: input });
    expect(smsTrigger.props.safeParse({ textFilter: 'regex', pattern: '([' }).success).toBe(false);
  });
});
