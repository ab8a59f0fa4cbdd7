import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NonRetryableError } from '@switchyard/sdk';
import { runNode } from '../../../testing.js';
import { startTelegramFake, type TelegramFake } from '../fake.js';
import { botContext, botCredential, localHttp } from '../testing.js';
import answerCallback from './index.js';

let fake: TelegramFake;
const http = localHttp();
beforeAll(async () => { fake = await startTelegramFake(); });
afterAll(async () => { http.close(); await fake.close(); });

describe('telegram.answer-callback', () => {
  it('answers a button press once, with a notification; a second answer is refused as Telegram refuses it', async () => {
    const press = fake.buttonPress(42, 1, 'yes');
    const queryId = (press.callback_query as { id: string }).id;
    const result = await runNode(answerCallback, {}, { callbackQueryId: queryId, text: 'Saved ✓', showAlert: true }, botContext(http, botCredential(fake)));
    expect(result).toEqual({ main: { callbackQueryId: queryId, answered: true } });
    expect(fake.callbackAnswers).toEqual([{ callback_query_id: queryId, text: 'Saved ✓', show_alert: true }]);
    const again = await runNode(answerCallback, {}, { callbackQueryId: queryId }, botContext(http, botCredential(fake))).then(() => undefined, (e: unknown) => e);
    expect(again).toBeInstanceOf(NonRetryableError);
    expect((again as Error).message).toBe('Telegram error 400 (HTTP 400): Bad Request: query is too old and response timeout expired or query ID is invalid');
  });

  it('answers the press that started the flow by default', () => {
    expect(answerCallback.props.parse({})).toMatchObject({ callbackQueryId: '{{ $trigger.callbackQueryId }}', showAlert: false, cacheSeconds: 0 });
  });
});
