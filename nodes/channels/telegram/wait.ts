import { isJsonObject, NonRetryableError, ui, type Json, type JsonObject, type ResumeEvent, type WaitRequest } from '@switchyard/sdk';
import { z } from 'zod';
import type { BotContext } from './send.js';
import type { TelegramMessage } from './types.js';

/** Default: an hour. */
export const timeoutMinutesProp = ui(z.number().int().min(1).max(525_600, 'at most a year (525,600 minutes)').default(60), {
  title: 'Wait at most (minutes)', description: 'After this long without an answer the flow goes on through the timeout output',
});

/** Parks the execution until the chat's next message, as the conversation store correlates it (account + contact). */
export function waitForChat(ctx: BotContext, sent: TelegramMessage, timeoutMinutes: number): WaitRequest {
  const credentialId = ctx.credentials.bot.id;
  if (!ctx.channels || credentialId === undefined) {
    throw new NonRetryableError('waiting for a Telegram reply needs a saved credential and the conversation store (a Switchyard worker)', { code: 'no_conversation_store' });
  }
  return ctx.channels.waitForReply(credentialId, String(sent.chat.id), timeoutMinutes * 60_000);
}

/** The contact's message that resumed the step, or undefined when the wait timed out. Throws what the runtime reported failed. */
export function resumedEvent(resumed: ResumeEvent): JsonObject | undefined {
  if (resumed.kind === 'timer') return undefined;
  if (resumed.kind === 'event' && resumed.error) throw new NonRetryableError(resumed.error.message, { code: resumed.error.code ?? 'wait_failed' });
  return isJsonObject(resumed.payload) ? resumed.payload : { value: resumed.payload };
}

/** `object.a.b…` as a string, or undefined. */
export function textAt(object: Json | undefined, ...path: string[]): string | undefined {
  let value: Json | undefined = object;
  for (const key of path) value = isJsonObject(value) ? value[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}
