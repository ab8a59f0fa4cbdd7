import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WaitRequest, outputPorts, type InboundEvent, type JsonObject, type ResumeEvent } from '@switchyard/sdk';
import { triggerInput } from '../../../../runtime/gateway/trigger-input.js';
import { runNode } from '../../../testing.js';
import { startTelegramFake, type TelegramFake } from '../fake.js';
import { botContext, botCredential, localHttp } from '../testing.js';
import { updateToEvent } from '../updates.js';
import sendAndWaitChoice from './index.js';

let fake: TelegramFake;
const http = localHttp();
beforeAll(async () => { fake = await startTelegramFake(); });
afterAll(async () => { http.close(); await fake.close(); });

const props = { chatId: '42', text: 'Ship to {city}?', values: [{ name: 'city', value: 'Pune' }], choices: [{ id: 'yes', title: 'Yes, ship it' }, { id: 'no', title: 'No' }], pressedText: 'Got it: {choice}' };
/** What the gateway resumes the step with: the trigger-shaped event of the contact's answer. */
function resumedWith(event: InboundEvent): ResumeEvent {
  return { kind: 'event', name: 'channel-reply', payload: triggerInput(event, 'cred-tg') };
}

describe('telegram.send-and-wait-choice', () => {
  it('has one output per button, plus other and timeout', () => {
    expect(outputPorts(sendAndWaitChoice, sendAndWaitChoice.props.parse(props))).toEqual(['yes', 'no', 'other', 'timeout']);
    expect(outputPorts(sendAndWaitChoice, sendAndWaitChoice.props.parse({ text: 'x' }))).toEqual(['yes', 'no', 'other', 'timeout']);
    expect(sendAndWaitChoice.props.safeParse({ text: 'x', choices: [{ id: 'timeout', title: 'A' }, { id: 'a', title: 'A' }, { id: 'a', title: 'B' }] }).error?.issues.map((i) => i.message))
      .toEqual(['"timeout" is reserved; pick another output id', 'output "a" is used by an earlier button']);
  });

  it('asks with an inline keyboard whose callback data are the button ids, then parks', async () => {
    const ctx = botContext(http, botCredential(fake));
    expect(await runNode(sendAndWaitChoice, {}, props, ctx)).toBeInstanceOf(WaitRequest);
    expect(fake.sentTo(42).at(-1)).toMatchObject({ text: 'Ship to Pune?', replyMarkup: { inline_keyboard: [[{ text: 'Yes, ship it', callback_data: 'yes' }], [{ text: 'No', callback_data: 'no' }]] } });
    expect(ctx.channels.recorded.outbound.at(-1)?.choices).toEqual([{ id: 'yes', title: 'Yes, ship it' }, { id: 'no', title: 'No' }]);
    expect(ctx.channels.recorded.waits).toEqual([{ credentialId: 'cred-tg', contactId: '42', timeoutMs: 3_600_000 }]);
  });

  it('a press continues on its button\'s output and is answered once; nothing is sent again', async () => {
    const asked = fake.sentTo(42).at(-1)!;
    const sentBefore = fake.sent.length;
    const press = updateToEvent(fake.buttonPress(42, asked.messageId, 'no'));
    const result = await runNode(sendAndWaitChoice, {}, props, botContext(http, botCredential(fake), { resumed: resumedWith(press) }));
    expect(Object.keys(result)).toEqual(['no']);
    expect(result).toMatchObject({ no: { choice: { id: 'no', title: 'No' }, callbackData: 'no', contact: { id: '42' } } });
    expect(fake.callbackAnswers.at(-1)).toEqual({ callback_query_id: (press.data as JsonObject).callbackQueryId, text: 'Got it: No' });
    expect(fake.sent.length).toBe(sentBefore);
  });

  it('typing a button\'s text counts as pressing it; anything else goes to other, silence to timeout', async () => {
    const typed = await runNode(sendAndWaitChoice, {}, props, botContext(http, botCredential(fake), { resumed: resumedWith(updateToEvent(fake.userMessage(42, '  yes, SHIP it '))) }));
    expect(Object.keys(typed)).toEqual(['yes']);
    const other = await runNode(sendAndWaitChoice, {}, props, botContext(http, botCredential(fake), { resumed: resumedWith(updateToEvent(fake.userMessage(42, 'maybe tomorrow'))) }));
    expect(Object.keys(other)).toEqual(['other']);
    expect(await runNode(sendAndWaitChoice, { cart: 1 }, props, botContext(http, botCredential(fake), { resumed: { kind: 'timer' } }))).toEqual({ timeout: { cart: 1 } });
  });

  it('a press Telegram no longer lets us answer still counts', async () => {
    const press = updateToEvent(fake.buttonPress(42, 1, 'yes'));
    const queryId = String((press.data as JsonObject).callbackQueryId);
    await runNode(sendAndWaitChoice, {}, props, botContext(http, botCredential(fake), { resumed: resumedWith(press) }));
    const ctx = botContext(http, botCredential(fake), { resumed: resumedWith(press) });
    expect(Object.keys(await runNode(sendAndWaitChoice, {}, props, ctx))).toEqual(['yes']);
    expect(ctx.logs.map((l) => l.message)).toEqual(['the button press could not be answered']);
    expect(fake.callbackAnswers.filter((a) => a.callback_query_id === queryId)).toHaveLength(1);
  });
});
