import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../types.js';
import { WS, callHook, flow, startTestRuntime } from '../testing/harness.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime({ webhookRateLimitPerMinute: 5 });
});

describe('webhook receiver', () => {
  it('verifies the HMAC signature over the raw body', async () => {
    const secret = await runtime.credentials.create(WS, { name: 'shop secret', kind: 'hmac-secret', data: { secret: 'whsec_abcdef123456' } });
    const created = await runtime.flows.create(WS, flow('signed', [
      { id: 'in', type: 'core.webhook', props: { path: 'signed', method: 'POST' }, credentials: { signature: 'shop' } },
      { id: 'ok', type: 'core.set', props: { fields: [{ name: 'accepted', value: true }] } },
    ], ['in->ok'], { credentials: { shop: { kind: 'hmac-secret', id: secret.id } } }));
    await runtime.flows.activate(WS, created.id);
    const body = { order: 7 };
    const good = 'sha256=' + createHmac('sha256', 'whsec_abcdef123456').update(JSON.stringify(body)).digest('hex');
    expect(await callHook(runtime, 'signed', body, { 'x-signature-256': good })).toMatchObject({ status: 200, body: { accepted: true } });
    await expect(callHook(runtime, 'signed', body, { 'x-signature-256': 'sha256=' + '0'.repeat(64) })).rejects.toMatchObject({ status: 401 });
    await expect(callHook(runtime, 'signed', body)).rejects.toMatchObject({ status: 401 });
    // A valid signature for other bytes does not pass for these.
    await expect(callHook(runtime, 'signed', { order: 8 }, { 'x-signature-256': good })).rejects.toMatchObject({ status: 401 });
  });

  it('answers 202 at once for async webhooks and dedupes a repeated provider event id', async () => {
    const created = await runtime.flows.create(WS, flow('async', [
      { id: 'in', type: 'core.webhook', props: { path: 'async', method: 'POST', respond: 'immediately' } },
    ], []));
    await runtime.flows.activate(WS, created.id);
    const first = await callHook(runtime, 'async', { a: 1 }, { 'x-event-id': 'evt_1' });
    expect(first.status).toBe(202);
    const again = await callHook(runtime, 'async', { a: 1 }, { 'x-event-id': 'evt_1' });
    expect(again).toMatchObject({ status: 200, body: { duplicate: true, executionId: (first.body as { executionId: string }).executionId } });
  });

  it('rate-limits one caller per path with 429', async () => {
    const created = await runtime.flows.create(WS, flow('limited-hook', [
      { id: 'in', type: 'core.webhook', props: { path: 'limited', method: 'POST', respond: 'immediately' } },
    ], []));
    await runtime.flows.activate(WS, created.id);
    const call = () => runtime.webhooks.handle({ clientIp: '10.0.0.9', method: 'POST', path: 'limited', headers: {}, query: {}, rawBody: Buffer.from('') });
    for (let i = 0; i < 5; i++) expect((await call()).status).toBe(202);
    await expect(call()).rejects.toMatchObject({ status: 429 });
    // Another caller is not affected.
    expect((await runtime.webhooks.handle({ clientIp: '10.0.0.10', method: 'POST', path: 'limited', headers: {}, query: {}, rawBody: Buffer.from('') })).status).toBe(202);
  });

  it('refuses a second active flow on the same path', async () => {
    const one = await runtime.flows.create(WS, flow('one', [{ id: 'in', type: 'core.webhook', props: { path: 'shared', method: 'POST' } }], []));
    const two = await runtime.flows.create(WS, flow('two', [{ id: 'in', type: 'core.webhook', props: { path: 'shared', method: 'POST' } }], []));
    await runtime.flows.activate(WS, one.id);
    await expect(runtime.flows.activate(WS, two.id)).rejects.toMatchObject({ status: 400, problems: [expect.objectContaining({ code: 'duplicate_webhook_path', nodeId: 'in' })] });
  });
});
