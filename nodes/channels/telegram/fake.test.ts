import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramFake, type TelegramFake } from './fake.js';

let fake: TelegramFake;
beforeAll(async () => { fake = await startTelegramFake(); });
afterAll(async () => { await fake.close(); });

const call = async (method: string, init: RequestInit = {}, token = fake.token) => {
  const response = await fetch(`${fake.url}/bot${token}/${method}`, init);
  return { status: response.status, body: await response.json() as Record<string, unknown> };
};

describe('the Telegram Bot API fake', () => {
  it('answers a wrong token with 401 Unauthorized and an unknown path with 404, as Telegram does', async () => {
    expect(await call('getMe', {}, '1:wrong')).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    expect((await fetch(`${fake.url}/nothing`)).status).toBe(404);
    expect(await call('sendCarrierPigeon')).toEqual({ status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } });
  });

  it('takes JSON, urlencoded and multipart bodies and query strings, reading JSON-serialised fields in forms', async () => {
    const keyboard = { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] };
    await call('sendMessage', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: 5, text: 'json', reply_markup: keyboard }) });
    await call('sendMessage', { method: 'POST', body: new URLSearchParams({ chat_id: '5', text: 'form', reply_markup: JSON.stringify(keyboard) }) });
    const form = new FormData();
    form.set('chat_id', '5');
    form.set('text', 'multipart');
    await call('sendMessage', { method: 'POST', body: form });
    await call('sendMessage?chat_id=5&text=query');
    expect(fake.sentTo(5).map((m) => [m.text, m.messageId, m.replyMarkup ?? null])).toEqual([
      ['json', 1, keyboard], ['form', 2, keyboard], ['multipart', 3, null], ['query', 4, null],
    ]);
  });

  it('refuses what Telegram refuses: bad markup, long callback data, empty text, unparsable entities', async () => {
    const send = (body: object) => call('sendMessage', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await send({ chat_id: 1, text: 'x', reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'x'.repeat(65) }]] } })).body).toMatchObject({ error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' });
    expect((await send({ chat_id: 1, text: '  ' })).body).toMatchObject({ description: 'Bad Request: message text is empty' });
    expect((await send({ text: 'x' })).body).toMatchObject({ description: 'Bad Request: chat_id is empty' });
    expect((await send({ chat_id: 1, text: 'v1.2', parse_mode: 'MarkdownV2' })).body.description).toMatch(/^Bad Request: can't parse entities: Character '\.' is reserved/);
    expect((await send({ chat_id: 1, text: 'x'.repeat(4097) })).body).toMatchObject({ description: 'Bad Request: message is too long' });
  });

  it('can be scripted: 403 for a chat that blocked the bot, 429 with retry_after, any error once', async () => {
    fake.block(77);
    const send = () => call('sendMessage', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: 77, text: 'hi' }) });
    expect(await send()).toEqual({ status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } });
    fake.unblock(77);
    fake.rateLimit({ retryAfter: 3 });
    expect(await send()).toEqual({ status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } } });
    fake.failNext('sendMessage', { status: 500, description: 'Internal Server Error' });
    expect((await send()).status).toBe(500);
    expect((await send()).status).toBe(200);
  });

  it('delivers updates to the registered webhook with its secret token, only of the allowed kinds', async () => {
    const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    const hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => { received.push({ headers: req.headers, body }); res.end(); });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/inbound/x`;
      const set = await call('setWebhook', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url, secret_token: 'abc_DEF-123', allowed_updates: ['message'] }) });
      expect(set.body).toEqual({ ok: true, result: true, description: 'Webhook was set' });
      expect((await call('getWebhookInfo')).body.result).toMatchObject({ url, allowed_updates: ['message'], pending_update_count: 0 });
      const update = fake.userMessage(9, '/start');
      expect(await fake.deliver(update)).toMatchObject({ delivered: true, status: 200 });
      expect(received[0]?.headers['x-telegram-bot-api-secret-token']).toBe('abc_DEF-123');
      expect(JSON.parse(received[0]!.body)).toMatchObject({ update_id: update.update_id, message: { text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] } });
      expect(await fake.deliver(fake.buttonPress(9, 1, 'x'))).toEqual({ delivered: false, status: 0, body: '' });
      expect((await call('setWebhook', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url, secret_token: 'bad token!' }) })).body)
        .toMatchObject({ description: 'Bad Request: secret token contains unallowed characters' });
      expect((await call('deleteWebhook')).body).toEqual({ ok: true, result: true, description: 'Webhook was deleted' });
      expect(fake.webhook).toBeNull();
    } finally {
      hook.closeAllConnections();
      await new Promise((resolve) => hook.close(resolve));
    }
  });
});
