import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseFormatted, type MessageEntity } from './fake-markup.js';
import { fakeUpdates, type FakeUpdates, type Update } from './fake-updates.js';

/**
 * A local Telegram Bot API (https://core.telegram.org/bots/api) on 127.0.0.1 for tests, the chat
 * simulator, e2e and benchmarks: `/bot<token>/<method>` with JSON, urlencoded or multipart bodies
 * (as the real API accepts), answering `{ ok: true, result }` or `{ ok: false, error_code,
 * description, parameters }`. It records what the bot sent and the webhook it registered, can be
 * scripted to refuse (403 blocked, 429 with retry_after, any error), and delivers Updates to the
 * registered webhook the way Telegram does.
 */

/** Defaults: a fixed token and bot. */
export interface TelegramFakeOptions {
  /** Default: '123456789:AAH-fake-token-for-tests-0123456789'. */
  token?: string;
  /** Default: 'switchyard_test_bot'. */
  botUsername?: string;
}

/** A message the bot sent (or edited), as the fake stored it. */
export interface FakeMessage {
  method: string;
  chatId: string;
  messageId: number;
  /** Plain text (formatting parsed away) or caption. */
  text?: string;
  entities?: MessageEntity[];
  /** As sent, before parsing. */
  parseMode?: string;
  replyMarkup?: unknown;
  replyToMessageId?: number;
  linkPreviewDisabled?: boolean;
  /** The photo or document (URL or file id) of sendPhoto/sendDocument. */
  file?: string;
  date: number;
  editDate?: number;
}

/** The webhook `setWebhook` registered. */
export interface FakeWebhook {
  url: string;
  secretToken?: string;
  /** Undefined: Telegram's default (every kind but chat_member, message_reaction, message_reaction_count). */
  allowedUpdates?: string[];
  dropPendingUpdates: boolean;
}

export interface FakeCall {
  method: string;
  params: Record<string, unknown>;
}

export interface TelegramFake extends FakeUpdates {
  /** http://127.0.0.1:<port>: the credential's Bot API URL. */
  url: string;
  token: string;
  bot: { id: number; is_bot: true; first_name: string; username: string };
  /** Every call with the right token, in order. */
  calls: FakeCall[];
  /** Every message the bot sent (sendMessage, sendPhoto, sendDocument), in order. */
  sent: FakeMessage[];
  /** Every editMessageText that changed a message. */
  edits: FakeMessage[];
  /** Every answerCallbackQuery accepted. */
  callbackAnswers: Record<string, unknown>[];
  /** The webhook currently set, or null. */
  webhook: FakeWebhook | null;
  /** setWebhook and deleteWebhook calls that succeeded, in order. */
  webhookChanges: ({ action: 'set' } & FakeWebhook | { action: 'delete' })[];
  /** Sends to this chat fail with 403 "bot was blocked by the user" until `unblock`. */
  block(chatId: string | number): void;
  unblock(chatId: string | number): void;
  /** The next `times` calls of `method` (default: any send) get 429 with `retry_after`. */
  rateLimit(options: { retryAfter: number; times?: number; method?: string }): void;
  /** The next call of `method` fails with this error. */
  failNext(method: string, error: { status: number; description: string }): void;
  /** Messages sent to one chat. */
  sentTo(chatId: string | number): FakeMessage[];
  /**
   * POSTs an Update to the registered webhook with its secret token, as Telegram does. Updates of
   * kinds the webhook's allowed_updates leave out are not delivered (`delivered: false`).
   */
  deliver(update: Update): Promise<{ delivered: boolean; status: number; body: string }>;
  close(): Promise<void>;
}

const SEND_METHODS = new Set(['sendMessage', 'sendPhoto', 'sendDocument']);
/** Telegram's default when allowed_updates was never given. */
const NOT_DELIVERED_BY_DEFAULT = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);
/** Fields Telegram reads as JSON when they arrive in a form body. */
const JSON_FIELDS = new Set(['reply_markup', 'allowed_updates', 'reply_parameters', 'link_preview_options', 'entities', 'caption_entities']);

class ApiError extends Error {
  constructor(readonly status: number, readonly description: string, readonly parameters?: Record<string, unknown>) {
    super(description);
  }
}
const bad = (description: string) => new ApiError(400, `Bad Request: ${description}`);

async function readParams(req: http.IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (body.length === 0) return params;
  if (type.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw bad("can't parse JSON body");
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad('the request body must be a JSON object');
    return { ...params, ...parsed };
  }
  if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
    const form = await new Response(body, { headers: { 'content-type': type } }).formData();
    for (const [name, value] of form) {
      if (typeof value !== 'string') { params[name] = `attach:${value.name}`; continue; }
      if (!JSON_FIELDS.has(name)) { params[name] = value; continue; }
      try {
        params[name] = JSON.parse(value);
      } catch {
        throw bad(`can't parse ${name} JSON object`);
      }
    }
  }
  return params;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function checkKeyboard(markup: unknown): void {
  const keyboard = record(markup)?.inline_keyboard;
  if (keyboard === undefined) return;
  if (!Array.isArray(keyboard) || !keyboard.every(Array.isArray)) throw bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
  for (const button of keyboard.flat()) {
    const b = record(button);
    if (!b || typeof b.text !== 'string' || b.text === '') throw bad('text buttons are unallowed in the inline keyboard');
    if (typeof b.callback_data === 'string' && (Buffer.byteLength(b.callback_data) < 1 || Buffer.byteLength(b.callback_data) > 64)) throw bad('BUTTON_DATA_INVALID');
    if (typeof b.url === 'string' && !/^(https?|tg):\/\/\S+$/.test(b.url)) throw bad(`inline keyboard button URL '${b.url}' is invalid: Wrong HTTP URL`);
    if (b.callback_data === undefined && b.url === undefined) throw bad("can't parse inline keyboard button: InlineKeyboardButton must have exactly one optional field");
  }
}

/** Starts the fake on a random port of 127.0.0.1. */
export async function startTelegramFake(options: TelegramFakeOptions = {}): Promise<TelegramFake> {
  const token = options.token ?? '123456789:AAH-fake-token-for-tests-0123456789';
  const bot = { id: Number(token.split(':')[0]), is_bot: true as const, first_name: 'Switchyard Test Bot', username: options.botUsername ?? 'switchyard_test_bot' };
  const blocked = new Set<string>();
  const limits: { retryAfter: number; times: number; method?: string }[] = [];
  const failures = new Map<string, { status: number; description: string }>();
  const messageIds = new Map<string, number>();
  const byKey = new Map<string, FakeMessage>();
  const nextMessageId = (chatId: string) => {
    // One sequence per chat for both sides, as in a Telegram private chat.
    const id = (messageIds.get(chatId) ?? 0) + 1;
    messageIds.set(chatId, id);
    return id;
  };
  const { takeCallbackQuery, ...updates } = fakeUpdates(bot, nextMessageId, (chatId, messageId) => byKey.get(`${chatId}:${messageId}`));
  const now = () => Math.floor(Date.now() / 1000);

  const fake: TelegramFake = {
    ...updates,
    url: '',
    token,
    bot,
    calls: [],
    sent: [],
    edits: [],
    callbackAnswers: [],
    webhook: null,
    webhookChanges: [],
    block: (chatId) => void blocked.add(String(chatId)),
    unblock: (chatId) => void blocked.delete(String(chatId)),
    rateLimit: ({ retryAfter, times = 1, method }) => void limits.push({ retryAfter, times, ...(method ? { method } : {}) }),
    failNext: (method, error) => void failures.set(method, error),
    sentTo: (chatId) => fake.sent.filter((m) => m.chatId === String(chatId)),
    async deliver(update) {
      const hook = fake.webhook;
      if (!hook) throw new Error('the Telegram fake has no webhook set: activate the flow first');
      const kind = Object.keys(update).find((k) => k !== 'update_id') ?? '';
      const allowed = hook.allowedUpdates && hook.allowedUpdates.length > 0 ? hook.allowedUpdates.includes(kind) : !NOT_DELIVERED_BY_DEFAULT.has(kind);
      if (!allowed) return { delivered: false, status: 0, body: '' };
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (hook.secretToken) headers['x-telegram-bot-api-secret-token'] = hook.secretToken;
      const response = await fetch(hook.url, { method: 'POST', headers, body: JSON.stringify(update) });
      return { delivered: true, status: response.status, body: await response.text() };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function store(method: string, params: Record<string, unknown>, fields: Partial<FakeMessage>): Record<string, unknown> {
    const chatId = str(params.chat_id)!;
    const messageId = nextMessageId(chatId);
    const replyTo = Number(record(params.reply_parameters)?.message_id ?? params.reply_to_message_id);
    const message: FakeMessage = {
      method, chatId, messageId, date: now(), ...fields,
      ...(params.reply_markup !== undefined ? { replyMarkup: params.reply_markup } : {}),
      ...(Number.isFinite(replyTo) ? { replyToMessageId: replyTo } : {}),
    };
    fake.sent.push(message);
    byKey.set(`${chatId}:${messageId}`, message);
    return toApiMessage(message);
  }

  function toApiMessage(m: FakeMessage): Record<string, unknown> {
    const id = Number(m.chatId);
    const chat = id > 0 ? { id, type: 'private', first_name: 'Contact' } : { id, type: 'supergroup', title: 'Group' };
    const out: Record<string, unknown> = { message_id: m.messageId, from: bot, chat, date: m.date };
    if (m.editDate !== undefined) out.edit_date = m.editDate;
    const textKey = m.method === 'sendMessage' ? 'text' : 'caption';
    if (m.text !== undefined) out[textKey] = m.text;
    if (m.entities && m.entities.length > 0) out[textKey === 'text' ? 'entities' : 'caption_entities'] = m.entities;
    if (m.method === 'sendPhoto') out.photo = [{ file_id: `photo-${m.chatId}-${m.messageId}`, file_unique_id: `u${m.messageId}`, width: 800, height: 600 }];
    if (m.method === 'sendDocument') out.document = { file_id: `doc-${m.chatId}-${m.messageId}`, file_unique_id: `d${m.messageId}`, file_name: (m.file ?? '').split('/').pop() || 'file' };
    if (m.replyMarkup !== undefined) out.reply_markup = m.replyMarkup;
    return out;
  }

  function formatted(text: string, parseMode: unknown, tooLong: number, tooLongError: string): { text: string; entities: MessageEntity[] } {
    const parsed = parseFormatted(text, str(parseMode));
    if (!parsed.ok) throw bad(parsed.error);
    if (parsed.text.length > tooLong) throw bad(tooLongError);
    return { text: parsed.text, entities: parsed.entities };
  }

  function checkSend(method: string, params: Record<string, unknown>): string {
    const chatId = str(params.chat_id);
    if (chatId === undefined || chatId === '') throw bad('chat_id is empty');
    if (!/^-?\d+$/.test(chatId) && !chatId.startsWith('@')) throw bad('chat not found');
    if (blocked.has(chatId)) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
    const limit = limits.find((l) => (l.method ? l.method === method : SEND_METHODS.has(method)));
    if (limit) {
      if (--limit.times <= 0) limits.splice(limits.indexOf(limit), 1);
      throw new ApiError(429, `Too Many Requests: retry after ${limit.retryAfter}`, { retry_after: limit.retryAfter });
    }
    checkKeyboard(params.reply_markup);
    return chatId;
  }

  function fileParam(value: unknown): string {
    const file = str(value);
    if (file === undefined || file === '') throw bad('there is no photo in the request');
    if (file.includes('://') && !/^https?:\/\//.test(file)) throw bad('wrong file identifier/HTTP URL specified');
    return file;
  }

  const methods: Record<string, (params: Record<string, unknown>) => { result: unknown; description?: string }> = {
    getMe: () => ({ result: { ...bot, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false } }),
    getWebhookInfo: () => ({
      result: {
        url: fake.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: 0,
        ...(fake.webhook ? { max_connections: 40 } : {}),
        ...(fake.webhook?.allowedUpdates ? { allowed_updates: fake.webhook.allowedUpdates } : {}),
      },
    }),
    setWebhook(params) {
      const url = str(params.url) ?? '';
      if (url === '') return methods.deleteWebhook!(params);
      if (!/^https?:\/\/[^\s/]+/.test(url)) throw bad('bad webhook: An HTTPS URL must be provided for webhook');
      const secret = str(params.secret_token);
      if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw bad('secret token contains unallowed characters');
      const allowed = params.allowed_updates;
      if (allowed !== undefined && (!Array.isArray(allowed) || !allowed.every((k) => typeof k === 'string'))) throw bad("can't parse allowed updates");
      const hook: FakeWebhook = {
        url, dropPendingUpdates: params.drop_pending_updates === true || params.drop_pending_updates === 'true',
        ...(secret !== undefined ? { secretToken: secret } : {}),
        // Telegram keeps the previous list when a call leaves allowed_updates out.
        ...(allowed !== undefined ? { allowedUpdates: [...(allowed as string[])] } : fake.webhook?.allowedUpdates ? { allowedUpdates: fake.webhook.allowedUpdates } : {}),
      };
      const same = JSON.stringify(fake.webhook) === JSON.stringify(hook);
      fake.webhook = hook;
      fake.webhookChanges.push({ action: 'set', ...hook });
      return { result: true, description: same ? 'Webhook is already set' : 'Webhook was set' };
    },
    deleteWebhook() {
      const had = fake.webhook !== null;
      fake.webhook = null;
      fake.webhookChanges.push({ action: 'delete' });
      return { result: true, description: had ? 'Webhook was deleted' : 'Webhook is already deleted' };
    },
    sendMessage(params) {
      checkSend('sendMessage', params);
      const raw = str(params.text) ?? '';
      if (raw.trim() === '') throw bad('message text is empty');
      const { text, entities } = formatted(raw, params.parse_mode, 4096, 'message is too long');
      if (text.trim() === '') throw bad('message text is empty');
      const preview = record(params.link_preview_options)?.is_disabled === true || params.disable_web_page_preview === true;
      return { result: store('sendMessage', params, { text, entities, linkPreviewDisabled: preview, ...(params.parse_mode ? { parseMode: str(params.parse_mode) } : {}) }) };
    },
    sendPhoto: (params) => sendFile('sendPhoto', 'photo', params),
    sendDocument: (params) => sendFile('sendDocument', 'document', params),
    answerCallbackQuery(params) {
      const id = str(params.callback_query_id) ?? '';
      if (!takeCallbackQuery(id)) throw bad('query is too old and response timeout expired or query ID is invalid');
      if ((str(params.text) ?? '').length > 200) throw bad('MESSAGE_TOO_LONG');
      fake.callbackAnswers.push(params);
      return { result: true };
    },
    editMessageText(params) {
      const chatId = str(params.chat_id) ?? '';
      const current = byKey.get(`${chatId}:${str(params.message_id) ?? ''}`);
      if (!current) throw bad('message to edit not found');
      checkKeyboard(params.reply_markup);
      const { text, entities } = formatted(str(params.text) ?? '', params.parse_mode, 4096, 'MESSAGE_TOO_LONG');
      if (text.trim() === '') throw bad('message text is empty');
      if (text === current.text && JSON.stringify(entities) === JSON.stringify(current.entities ?? []) && JSON.stringify(params.reply_markup) === JSON.stringify(current.replyMarkup)) {
        throw bad('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
      }
      current.text = text;
      current.entities = entities;
      current.editDate = now();
      if (params.reply_markup !== undefined) current.replyMarkup = params.reply_markup;
      else delete current.replyMarkup;
      fake.edits.push({ ...current, method: 'editMessageText' });
      return { result: toApiMessage(current) };
    },
  };

  function sendFile(method: string, field: 'photo' | 'document', params: Record<string, unknown>) {
    checkSend(method, params);
    const file = fileParam(params[field]);
    const caption = str(params.caption);
    const parsed = caption === undefined ? undefined : formatted(caption, params.parse_mode, 1024, 'message caption is too long');
    return { result: store(method, params, { file, ...(parsed ? { text: parsed.text, entities: parsed.entities } : {}) }) };
  }

  const server = http.createServer((req, res) => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return answer(404, { ok: false, error_code: 404, description: 'Not Found' });
    if (decodeURIComponent(match[1]!) !== token) return answer(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = match[2]!;
    const handler = Object.hasOwn(methods, method) ? methods[method] : undefined;
    readParams(req, url).then((params) => {
      if (!handler) throw new ApiError(404, 'Not Found');
      fake.calls.push({ method, params });
      const failure = failures.get(method);
      if (failure) {
        failures.delete(method);
        throw new ApiError(failure.status, failure.description);
      }
      const { result, description } = handler(params);
      answer(200, { ok: true, result, ...(description ? { description } : {}) });
    }).catch((error: unknown) => {
      if (error instanceof ApiError) {
        return answer(error.status, { ok: false, error_code: error.status, description: error.description, ...(error.parameters ? { parameters: error.parameters } : {}) });
      }
      answer(500, { ok: false, error_code: 500, description: `Internal Server Error: ${error instanceof Error ? error.message : String(error)}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
