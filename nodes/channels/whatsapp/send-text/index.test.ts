import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isJsonObject, NonRetryableError } from '@switchyard/sdk';
import { startGraphFake, type GraphFake } from '../../meta/fake.js';
import { channelTestContext, localHttp, stepFailure, whatsappCredential } from '../../meta/testing.js';
import { runNode } from '../../../testing.js';
import sendText from './index.js';

let fake: GraphFake;
const http = localHttp();
const ctx = (overrides: Partial<Record<string, string>> = {}) => channelTestContext(http, whatsappCredential(fake, overrides));
const incoming = { contact: { id: '16505551234', name: 'Sheena' }, messageId: 'wamid.IN1' };

beforeAll(async () => { fake = await startGraphFake(); });
afterAll(async () => { http.close(); await fake.close(); });
beforeEach(() => fake.reset());

describe('whatsapp.send-text', () => {
  it('sends the Cloud API text payload to the number in E.164 and outputs the wamid', async () => {
    const result = await runNode(sendText, null, { to: '+1 (650) 555-1234', text: 'Hello 👋 café', previewUrl: true }, ctx());
    expect(fake.whatsappMessages).toHaveLength(1);
    const [sent] = fake.whatsappMessages;
    expect(sent?.body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '+16505551234', type: 'text', text: { preview_url: true, body: 'Hello 👋 café' } });
    expect(result).toEqual({ main: { messageId: sent?.id, messageIds: [sent?.id], to: '+16505551234', waId: '16505551234' } });
    expect(fake.calls[0]).toMatchObject({ method: 'POST', version: 'v21.0', path: `${fake.phoneNumbers[0]!.id}/messages`, authorized: true });
  });

  it('replies to the contact of the incoming message when "to" is empty, quoting it when asked', async () => {
    await runNode(sendText, incoming, { text: 'Thanks!', replyTo: 'wamid.IN1' }, ctx());
    expect(fake.whatsappMessages[0]?.body).toMatchObject({ to: '+16505551234', context: { message_id: 'wamid.IN1' } });
  });

  it('splits a long text into messages within 4096 characters, or refuses it, naming the field', async () => {
    const long = `${'word '.repeat(1000)}${'more '.repeat(200)}`.trim();
    const result = await runNode(sendText, incoming, { text: long }, ctx());
    expect(fake.whatsappMessages).toHaveLength(2);
    const bodies = fake.whatsappMessages.map((m) => (isJsonObject(m.body.text) ? String(m.body.text.body) : ''));
    expect(bodies.every((b) => b.length > 0 && b.length <= 4096)).toBe(true);
    expect(bodies.join(' ')).toBe(long);
    expect(result).toMatchObject({ main: { messageIds: fake.whatsappMessages.map((m) => m.id) } });
    fake.reset();
    const error = await stepFailure(runNode(sendText, incoming, { text: long, overLongText: 'refuse' }, ctx()));
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error.message).toMatch(/^text: the text is 5999 characters; this channel allows 4096/);
    expect(fake.calls).toHaveLength(0);
  });

  it('refuses an invalid number before calling WhatsApp', async () => {
    const error = await stepFailure(runNode(sendText, null, { to: '12345', text: 'x' }, ctx()));
    expect(error.message).toMatch(/^to: "12345" is not a valid phone number/);
    const noContact = await stepFailure(runNode(sendText, { text: 'no contact here' }, { text: 'x' }, ctx()));
    expect(noContact.message).toMatch(/^to: no number given/);
    expect(fake.calls).toHaveLength(0);
  });

  it('reads a national number with the default country, and a bare wa_id as international', async () => {
    await runNode(sendText, null, { to: '098765 43210', text: 'x', defaultCountry: 'IN' }, ctx());
    await runNode(sendText, null, { to: '919876543210', text: 'x' }, ctx());
    expect(fake.whatsappMessages.map((m) => m.to)).toEqual(['+919876543210', '+919876543210']);
  });

  it('outside the 24-hour window (131047) fails without retry, saying to use a template', async () => {
    fake.failFor('16505551234', { code: 131047 });
    const error = await stepFailure(runNode(sendText, incoming, { text: 'late' }, ctx()));
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error.code).toBe('outside_window');
    expect(error.message).toMatch(/^WhatsApp error 131047 \(HTTP 400\): Re-engagement message/);
    expect(error.message).toMatch(/send template/);
    expect(error.details).toMatchObject({ provider: 'WhatsApp', status: 400, providerCode: 131047 });
    expect(fake.whatsappMessages).toHaveLength(0);
  });

  it('an undeliverable number (131026) is a clear error that is not retried', async () => {
    fake.failFor('16505551234', { code: 131026 });
    const error = await stepFailure(runNode(sendText, incoming, { text: 'x' }, ctx()));
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error.code).toBe('undeliverable');
    expect(error.message).toMatch(/131026.*could not deliver to this number/);
  });

  it('waits out a short 429 with Retry-After and a throughput error (130429) without one, then sends', async () => {
    fake.failFor('16505551234', { code: 130429, status: 429, retryAfterSeconds: 1, times: 1 });
    await runNode(sendText, incoming, { text: 'first' }, ctx());
    fake.failFor('16505551234', { code: 130429, times: 1 });
    await runNode(sendText, incoming, { text: 'second' }, ctx());
    expect(fake.whatsappMessages.map((m) => m.body.text)).toEqual([{ preview_url: false, body: 'first' }, { preview_url: false, body: 'second' }]);
    expect(fake.calls).toHaveLength(4);
  });

  it('gives a long rate limit back to the runtime as a retryable error instead of sleeping through it', async () => {
    fake.failFor('16505551234', { code: 80007, status: 429, retryAfterSeconds: 120 });
    const error = await stepFailure(runNode(sendText, incoming, { text: 'x' }, ctx()));
    expect(error).not.toBeInstanceOf(NonRetryableError);
    expect(error.code).toBe('rate_limited');
    expect(error.details).toMatchObject({ providerCode: 80007, retryAfterSeconds: 120 });
    expect(fake.calls).toHaveLength(1);
  });

  it('a refused token fails without retry and without showing the token', async () => {
    const error = await stepFailure(runNode(sendText, incoming, { text: 'x' }, ctx({ accessToken: 'EAAG-wrong-token' })));
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error.code).toBe('invalid_token');
    expect(error.message).toMatch(/error 190 \(HTTP 401\)/);
    expect(JSON.stringify([error.message, error.details])).not.toContain('EAAG-wrong-token');
    expect(fake.calls[0]?.authorized).toBe(false);
  });
});
