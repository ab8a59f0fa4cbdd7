import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTestApi, type TestApi } from '../../../app/server/test-api.server.js';
import { createRuntime } from '../../../runtime/index.js';
import { until } from '../../../runtime/testing/channel-harness.js';
import { testConfig } from '../../../runtime/testing/config.js';
import { flow, WS } from '../../../runtime/testing/harness.js';
import type { Runtime } from '../../../runtime/types.js';
import { EMPTY_TWIML } from './inbound.js';
import { inboundSmsParams, postSigned, startTwilioFake, type TwilioFake } from './fake.js';

/** Where Twilio is told to deliver: the public URL, which a proxy forwards to the served runtime. */
const PUBLIC_URL = 'https://switchyard.example';

let runtime: Runtime;
let http: TestApi;
let fake: TwilioFake;
let credentialId: string;
let flowId: string;

beforeAll(async () => {
  fake = await startTwilioFake();
  runtime = await createRuntime(testConfig({ outboundAllow: ['127.0.0.1'], publicUrl: PUBLIC_URL }));
  await runtime.startWorker();
  http = await serveTestApi(runtime, 'twilio gateway test');
  const credential = await runtime.credentials.create(WS, {
    name: 'Twilio (fake)', kind: 'twilio',
    data: { accountSid: fake.accountSid, authToken: fake.authToken, defaultFrom: '+15005550006', baseUrl: fake.url },
  });
  credentialId = credential.id;
  const document = flow('SMS echo', [
    { id: 'sms', type: 'twilio.sms-trigger', credentials: { account: 'twilio' } },
    { id: 'reply', type: 'twilio.send-sms', props: { to: '{{ $trigger.contact.id }}', body: 'Echo: {{ $trigger.text }}' }, credentials: { account: 'twilio' } },
  ], ['sms->reply'], { credentials: { twilio: { kind: 'twilio', id: credentialId } } });
  flowId = (await runtime.flows.create(WS, document)).id;
  await runtime.flows.activate(WS, flowId);
});

afterAll(async () => {
  await runtime.close();
  await fake.close();
});

const callbackUrl = () => `${PUBLIC_URL}/inbound/${credentialId}`;
const executions = () => runtime.knex('executions').where({ flow_id: flowId });

describe('Twilio through the inbound gateway', () => {
  it('shows the account\'s callback URL to paste into the Twilio console', async () => {
    const answer = await http.api('GET', `/api/credentials/${credentialId}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ callbackUrl: callbackUrl() });
    expect(answer.text).not.toContain(fake.authToken);
  });

  it('answers a signed SMS with empty TwiML and replies through the REST API exactly once, though Twilio delivered it 3 times', async () => {
    const params = inboundSmsParams({ accountSid: fake.accountSid, from: '+14155550123', to: '+15005550006', body: 'hello 👋' });
    for (let i = 0; i < 3; i++) {
      const response = await postSigned(callbackUrl(), fake.authToken, params, { via: http.base });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/xml');
      expect(await response.text()).toBe(EMPTY_TWIML);
    }
    const reply = await until(async () => fake.messages.find((m) => m.to === '+14155550123'), 15_000, 'the echo reply');
    expect(reply).toMatchObject({ from: '+15005550006', body: 'Echo: hello 👋', statusCallback: callbackUrl() });
    await until(async () => (await executions().where({ status: 'succeeded' })).length === 1, 15_000, 'the execution to finish');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fake.messages.filter((m) => m.to === '+14155550123')).toHaveLength(1);
    expect(await executions()).toHaveLength(1);
    const stored = await runtime.knex('conversation_messages').where({ credential_id: credentialId }).orderBy('created_at');
    expect(stored.map((m: { direction: string; provider_message_id: string; text: string }) => [m.direction, m.provider_message_id, m.text])).toEqual([
      ['in', params.MessageSid, 'hello 👋'],
      ['out', reply.sid, 'Echo: hello 👋'],
    ]);
  });

  it('updates the reply\'s delivery status from Twilio\'s status callbacks, starting no message flow', async () => {
    const params = inboundSmsParams({ accountSid: fake.accountSid, from: '+14155550124', to: '+15005550006', body: 'status please' });
    await postSigned(callbackUrl(), fake.authToken, params, { via: http.base });
    const reply = await until(async () => fake.messages.find((m) => m.to === '+14155550124'), 15_000, 'the echo reply');
    const status = () => runtime.knex('conversation_messages').where({ credential_id: credentialId, provider_message_id: reply.sid }).first();
    await until(async () => (await status()) !== undefined, 15_000, 'the reply to be recorded');
    expect(await fake.reportStatuses(reply.sid, ['sent', 'delivered'], { via: http.base })).toEqual([200, 200]);
    await until(async () => (await status())?.status === 'delivered', 15_000, 'the delivered status');
    // A late "sent" does not take the status back.
    expect(await fake.reportStatuses(reply.sid, ['sent'], { via: http.base })).toEqual([200]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await status())?.status).toBe('delivered');
    expect(await executions().whereRaw("trigger_input->>'eventType' = 'status'")).toHaveLength(0);
  });

  it('refuses a missing (401) or forged (403) signature, recording nothing', async () => {
    const params = inboundSmsParams({ accountSid: fake.accountSid, from: '+14155550125', to: '+15005550006', body: 'forged' });
    const local = `${http.base}/inbound/${credentialId}`;
    const missing = await fetch(local, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { message: expect.stringContaining('X-Twilio-Signature') } });
    const forged = await postSigned(callbackUrl(), 'not-the-auth-token', params, { via: http.base });
    expect(forged.status).toBe(403);
    // Signed for another URL (the local address instead of the public one Twilio was given).
    expect((await postSigned(local, fake.authToken, params)).status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await runtime.knex('channel_events').where({ credential_id: credentialId }).where({ provider_event_id: params.MessageSid })).toHaveLength(0);
  });
});
