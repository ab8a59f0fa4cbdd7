import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { defineCredentialKind, InboundPayloadError, ui, type InboundHandler, type Json } from '@switchyard/sdk';
import { BOT_TOKEN_PATTERN, SECRET_HEADER, TELEGRAM_API, TelegramClient } from './client.js';
import { replyWithTelegram } from './inbox-reply.js';
import { telegramSimulator } from './simulator.js';
import { botSchema } from './types.js';
import { updateToEvent } from './updates.js';

export const TELEGRAM_KIND = 'telegram-bot';
export { SECRET_HEADER };


const schema = z.object({
  token: ui(z.string().trim().regex(BOT_TOKEN_PATTERN, 'paste the token exactly as @BotFather gave it, like 123456789:AAH…'), {
    title: 'Bot token',
    description: 'From @BotFather in Telegram: /newbot (or /token for an existing bot)',
    placeholder: '123456789:AAH…',
    secret: true,
    expression: false,
  }),
  /** Default: https://api.telegram.org. */
  baseUrl: ui(z.url({ protocol: /^https?$/, error: 'the Bot API URL must be an http(s) address' }).optional(), {
    title: 'Bot API URL',
    description: 'Leave empty for https://api.telegram.org; set it for a local Bot API server or a proxy',
    placeholder: TELEGRAM_API,
    group: 'Advanced',
    expression: false,
  }),
});

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Constant-time comparison of two strings (after a length check, which leaks only the length). */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Telegram calls the account's callback URL once per Update (https://core.telegram.org/bots/api#setwebhook)
 * with the `secret_token` we registered in a header; the body is not signed, so the header is the proof.
 */
export const telegramInbound: InboundHandler = {
  verify(delivery, account) {
    const given = delivery.headers[SECRET_HEADER];
    if (given === undefined || given === '') return { status: 401, reason: 'the X-Telegram-Bot-Api-Secret-Token header is missing' };
    if (!sameSecret(given, account.secret)) return { status: 403, reason: 'the X-Telegram-Bot-Api-Secret-Token header does not match this bot\'s webhook secret' };
    return undefined;
  },
  parse(delivery) {
    let update: Json;
    try {
      update = JSON.parse(decoder.decode(delivery.rawBody)) as Json;
    } catch {
      throw new InboundPayloadError('the body is not a JSON Telegram Update (invalid UTF-8 or JSON)');
    }
    return [updateToEvent(update)];
  },
  simulator: telegramSimulator,
};

/** A Telegram bot: its BotFather token. "Test connection" asks Telegram who the bot is (`getMe`). */
export default defineCredentialKind({
  kind: TELEGRAM_KIND,
  title: 'Telegram bot',
  description: 'A bot token from @BotFather. Activating a flow with a Telegram trigger points the bot\'s webhook at Switchyard.',
  schema,
  inbound: telegramInbound,
  replyText: replyWithTelegram,
  async test(fields, ctx) {
    const token = (fields.token ?? '').trim();
    if (!BOT_TOKEN_PATTERN.test(token)) return { ok: false, message: 'The token does not look like a BotFather token (123456789:AAH…).' };
    const client = new TelegramClient(ctx.http, token, fields.baseUrl, ctx.signal);
    const answer = await client.attempt('getMe');
    if (!answer.ok) {
      const { status, description } = answer.failure;
      if (status === 401 || status === 404) return { ok: false, message: `Telegram refused the token (${description}). Copy it again from @BotFather; /revoke makes old tokens stop working.` };
      return { ok: false, message: `Telegram answered ${status}: ${description}` };
    }
    const bot = botSchema.safeParse(answer.result);
    if (!bot.success) return { ok: false, message: 'The Bot API answered getMe without a bot username; is the Bot API URL right?' };
    return { ok: true, message: `Connected as @${bot.data.username} (${bot.data.first_name}).` };
  },
});
