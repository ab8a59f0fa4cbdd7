import type { Json } from '@switchyard/sdk';
import { isRecord, Unmappable, type MapContext, type Mapped, type Mapper } from './types.js';

/** Telegram update kinds our trigger takes (nodes/channels/telegram/trigger). */
const TELEGRAM_UPDATES = ['message', 'edited_message', 'channel_post', 'edited_channel_post', 'callback_query', 'my_chat_member', 'chat_member', 'message_reaction'];

function parseMode(ctx: MapContext, raw: Json | undefined): string {
  if (raw === 'HTML') return 'HTML';
  if (raw === 'MarkdownV2') return 'MarkdownV2';
  if (raw === 'Markdown') {
    ctx.change('parse mode Markdown (legacy) → MarkdownV2: characters such as . ! - must be escaped; check the text');
    return 'MarkdownV2';
  }
  return 'none';
}

const telegramTrigger: Mapper = (ctx): Mapped => {
  ctx.credential(['telegramApi'], 'telegram-bot', 'bot');
  const raw = Array.isArray(ctx.params.updates) ? ctx.params.updates.map(String) : ['*'];
  const updates = raw.includes('*') ? TELEGRAM_UPDATES : raw.filter((u) => TELEGRAM_UPDATES.includes(u));
  const dropped = raw.filter((u) => u !== '*' && !TELEGRAM_UPDATES.includes(u));
  if (dropped.length > 0) ctx.warn(`update kinds not received here: ${dropped.join(', ')}`);
  if (raw.includes('*')) ctx.change('all updates → every update kind this trigger receives');
  ctx.change('the Telegram update is under raw (with our normalised contact, message and text beside it); references were moved there');
  return { type: 'telegram.trigger', props: { updates: updates.length > 0 ? updates : ['message'] } };
};

const TELEGRAM_MEDIA: Record<string, { kind: string; field: string }> = {
  sendPhoto: { kind: 'photo', field: 'file' }, sendDocument: { kind: 'document', field: 'file' }, sendAnimation: { kind: 'document', field: 'file' },
};

const telegram: Mapper = (ctx): Mapped => {
  const { params } = ctx;
  const resource = typeof params.resource === 'string' ? params.resource : 'message';
  const operation = typeof params.operation === 'string' ? params.operation : resource === 'callback' ? 'answerQuery' : 'sendMessage';
  ctx.credential(['telegramApi'], 'telegram-bot', 'bot');
  const extra = isRecord(params.additionalFields) ? params.additionalFields : {};
  if (extra.appendAttribution !== false && ctx.version >= 1.1 && resource === 'message') ctx.change('n8n\'s "sent automatically with n8n" attribution is not appended');
  if (isRecord(params.inlineKeyboard) || isRecord(params.replyKeyboard) || typeof params.replyMarkup === 'string' && params.replyMarkup !== 'none') {
    ctx.warn('reply markup (keyboards) is not carried over; add buttons on the node');
  }
  const common = { chatId: ctx.text(params.chatId, 'chat id') ?? '{{ $trigger.contact.id }}', parseMode: parseMode(ctx, extra.parse_mode) };
  if (resource === 'message' && operation === 'sendMessage') {
    const props: Record<string, Json> = { ...common, text: ctx.text(params.text, 'text') ?? '' };
    if (extra.disable_web_page_preview === true) props.disableLinkPreview = true;
    if (extra.reply_to_message_id !== undefined) props.replyTo = ctx.text(extra.reply_to_message_id, 'reply to') ?? '';
    return { type: 'telegram.send-message', props };
  }
  if (resource === 'message' && TELEGRAM_MEDIA[operation]) {
    if (params.binaryData === true) throw new Unmappable('sending binary data is not supported; send a URL or file id');
    const media = TELEGRAM_MEDIA[operation]!;
    return { type: 'telegram.send-media', props: { ...common, kind: media.kind, file: ctx.text(params.file, 'file') ?? '', ...(extra.caption !== undefined ? { caption: ctx.text(extra.caption, 'caption') ?? '' } : {}) } };
  }
  if (resource === 'message' && operation === 'editMessageText') {
    return { type: 'telegram.edit-message', props: { ...common, messageId: ctx.text(params.messageId, 'message id') ?? '', text: ctx.text(params.text, 'text') ?? '' } };
  }
  if (resource === 'callback' && operation === 'answerQuery') {
    return { type: 'telegram.answer-callback', props: { callbackQueryId: ctx.text(params.queryId, 'query id') ?? '', ...(extra.text !== undefined ? { text: ctx.text(extra.text, 'text') ?? '' } : {}), ...(extra.show_alert === true ? { showAlert: true } : {}) } };
  }
  throw new Unmappable(`Telegram ${resource} ${operation} is not supported`);
};

const whatsAppTrigger: Mapper = (ctx): Mapped => {
  ctx.credential(['whatsAppTriggerApi', 'whatsAppApi'], 'whatsapp-cloud', 'account');
  const raw = Array.isArray(ctx.params.updates) ? ctx.params.updates.map(String) : ['messages'];
  const events = [...new Set(raw.flatMap((u) => (u === 'messages' ? ['message', 'status'] : [])))];
  const dropped = raw.filter((u) => u !== 'messages');
  if (dropped.length > 0) ctx.warn(`WhatsApp webhook fields not received here: ${dropped.join(', ')}`);
  ctx.change('the WhatsApp change value is under raw (with our normalised contact, message and text beside it); references were moved there');
  return { type: 'whatsapp.trigger', props: { events: events.length > 0 ? events : ['message'] } };
};

const whatsApp: Mapper = (ctx): Mapped => {
  const { params } = ctx;
  const resource = typeof params.resource === 'string' ? params.resource : 'message';
  const operation = typeof params.operation === 'string' ? params.operation : 'send';
  ctx.credential(['whatsAppApi'], 'whatsapp-cloud', 'account');
  if (resource !== 'message') throw new Unmappable(`WhatsApp ${resource} ${operation} is not supported`);
  if (params.phoneNumberId !== undefined) ctx.change('the sending phone number id comes from the WhatsApp credential');
  const to = ctx.text(params.recipientPhoneNumber, 'recipient') ?? '';
  if (operation === 'send') {
    const type = typeof params.messageType === 'string' ? params.messageType : 'text';
    if (type === 'text') {
      const extra = isRecord(params.additionalFields) ? params.additionalFields : {};
      return { type: 'whatsapp.send-text', props: { to, text: ctx.text(params.textBody, 'text') ?? '', ...(extra.previewUrl === true ? { previewUrl: true } : {}) } };
    }
    if (['image', 'document', 'audio', 'video'].includes(type)) {
      if (params.mediaPath !== 'useMediaLink' && params.mediaPath !== undefined) throw new Unmappable('sending uploaded media is not supported; send a media link');
      return { type: 'whatsapp.send-media', props: { to, kind: type, url: ctx.text(params.mediaLink, 'media link') ?? '' } };
    }
    throw new Unmappable(`WhatsApp ${type} messages are not supported`);
  }
  if (operation === 'sendTemplate') throw new Unmappable('template messages need the template\'s components; rebuild it with Send template');
  throw new Unmappable(`WhatsApp ${operation} is not supported`);
};

const twilio: Mapper = (ctx): Mapped => {
  const { params } = ctx;
  if (params.resource === 'call' || params.operation === 'make') throw new Unmappable('Twilio calls are not supported');
  ctx.credential(['twilioApi'], 'twilio', 'account');
  const whatsapp = params.toWhatsapp === true;
  if (whatsapp) ctx.change('to WhatsApp → the whatsapp: prefix on the numbers');
  const to = ctx.text(params.to, 'to') ?? '';
  const from = ctx.text(params.from, 'from');
  return {
    type: 'twilio.send-sms',
    props: { to: whatsapp && !to.startsWith('whatsapp:') ? `whatsapp:${to}` : to, ...(from ? { from: whatsapp && !from.startsWith('whatsapp:') ? `whatsapp:${from}` : from } : {}), body: ctx.text(params.message, 'message') ?? '' },
  };
};

const emailSend: Mapper = (ctx): Mapped => {
  const { params } = ctx;
  ctx.credential(['smtp'], 'smtp', 'smtp');
  const options = isRecord(params.options) ? params.options : {};
  const format = typeof params.emailFormat === 'string' ? params.emailFormat : ctx.version >= 2 ? 'html' : 'both';
  const props: Record<string, Json> = {
    to: ctx.text(params.toEmail, 'to') ?? '', subject: ctx.text(params.subject, 'subject') ?? '',
  };
  const from = ctx.text(params.fromEmail, 'from');
  if (from) props.from = from;
  if (format !== 'html' && params.text !== undefined) props.text = ctx.text(params.text, 'text') ?? '';
  if (format !== 'text' && params.html !== undefined) props.html = ctx.text(params.html, 'HTML') ?? '';
  if (params.message !== undefined) props[format === 'text' ? 'text' : 'html'] = ctx.text(params.message, 'message') ?? '';
  if (options.ccEmail !== undefined) props.cc = ctx.text(options.ccEmail, 'cc') ?? '';
  if (options.bccEmail !== undefined) props.bcc = ctx.text(options.bccEmail, 'bcc') ?? '';
  if (options.replyTo !== undefined) props.replyTo = ctx.text(options.replyTo, 'reply to') ?? '';
  if (options.attachments !== undefined || params.attachments !== undefined) ctx.warn('binary attachments are not carried over; attach by URL');
  if (params.operation === 'sendAndWait') throw new Unmappable('send and wait for approval is not supported here; use Ask a person');
  return { type: 'email.send', props };
};

const emailReadImap: Mapper = (ctx): Mapped => {
  const { params } = ctx;
  ctx.credential(['imap'], 'imap', 'mailbox');
  const props: Record<string, Json> = {};
  if (typeof params.mailbox === 'string' && params.mailbox !== '') props.mailbox = params.mailbox;
  if (params.postProcessAction === 'read' || params.postProcessAction === undefined) props.markSeen = true;
  const options = isRecord(params.options) ? params.options : {};
  if (options.customEmailConfig !== undefined) ctx.warn(`the IMAP search ${String(options.customEmailConfig)} is not carried over; new mail is read`);
  ctx.change('mail fields follow our IMAP trigger (from, to, subject, text, html, attachments); check references to n8n\'s fields');
  return { type: 'email.imap-trigger', props };
};

export const channelMappers: Record<string, Mapper> = {
  telegramTrigger, telegram, whatsAppTrigger, whatsApp, twilio, emailSend, emailReadImap,
};
