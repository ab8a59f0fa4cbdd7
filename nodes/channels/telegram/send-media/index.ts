import { z } from 'zod';
import { defineNode, NonRetryableError, ui } from '@switchyard/sdk';
import { fitText } from '../../_shared/text.js';
import { fillTemplate } from '../markup.js';
import { buttonsPerRowProp, buttonsProp, chatIdProp, credentialSlots, parseModeProp, replyToProp, valuesProp } from '../props.js';
import { CAPTION_LIMIT, checkChatId, inlineKeyboard, parseModeField, postToChat, recordSent, sentOutput } from '../send.js';

/**
 * What Telegram fetches by URL (https://core.telegram.org/bots/api#sending-files): photos as images;
 * documents "currently only GIF, PDF and ZIP". A URL without an extension is left to Telegram.
 */
const URL_EXTENSIONS = { photo: ['jpg', 'jpeg', 'png', 'webp', 'gif', 'bmp'], document: ['gif', 'pdf', 'zip'] } as const;

const props = z.object({
  chatId: chatIdProp,
  kind: ui(z.enum(['photo', 'document']).default('photo'), {
    title: 'Send as', description: 'A photo is shown inline; a document is sent as a file',
    enumLabels: { photo: 'Photo', document: 'Document (PDF, ZIP, GIF)' },
  }),
  file: ui(z.string().trim().min(1, 'enter the file URL or a Telegram file id'), {
    title: 'File URL or file id', description: 'An https:// address Telegram downloads, or the file id of a file Telegram already has (e.g. {{ $trigger.media[0].id }})',
    placeholder: 'https://example.com/picture.jpg',
  }),
  caption: ui(z.string().optional(), {
    title: 'Caption', description: 'Up to 1,024 characters; with formatting, write {name} where a value goes', widget: 'textarea',
  }),
  parseMode: parseModeProp,
  values: valuesProp,
  buttons: buttonsProp,
  buttonsPerRow: buttonsPerRowProp,
  replyTo: replyToProp,
});

/** The file as the Bot API takes it, or a step error naming the field. */
function checkFile(kind: 'photo' | 'document', file: string): string {
  if (!file.includes('://')) {
    if (!/^[A-Za-z0-9_-]{10,}$/.test(file)) throw new NonRetryableError(`file: "${file}" is neither an http(s) URL nor a Telegram file id`, { code: 'invalid_media' });
    return file;
  }
  let url: URL;
  try {
    url = new URL(file);
  } catch {
    throw new NonRetryableError(`file: "${file}" is not a valid URL`, { code: 'invalid_media' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new NonRetryableError(`file: Telegram fetches only http(s) URLs, not ${url.protocol}`, { code: 'invalid_media' });
  const extension = /\.([A-Za-z0-9]{1,5})$/.exec(url.pathname)?.[1]?.toLowerCase();
  const allowed: readonly string[] = URL_EXTENSIONS[kind];
  if (extension !== undefined && !allowed.includes(extension)) {
    throw new NonRetryableError(`file: Telegram sends a ${kind} by URL only as ${allowed.join(', ')}, not .${extension}${kind === 'photo' ? ' (send it as a document?)' : ''}`, { code: 'unsupported_media' });
  }
  return url.href;
}

/** Sends a photo or a document by URL or file id, with an optional formatted caption and buttons. */
export default defineNode({
  type: 'telegram.send-media',
  version: 1,
  title: 'Telegram: send photo or document',
  category: 'Channels',
  description: 'Sends a photo or a document (by URL or file id) from a Telegram bot',
  icon: 'message',
  props,
  credentials: credentialSlots,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, _input, p) {
    const chatId = checkChatId(p.chatId);
    const file = checkFile(p.kind, p.file);
    const caption = p.caption ? fitText(fillTemplate(p.caption, p.values, p.parseMode), CAPTION_LIMIT, 'refuse', 'caption')[0] : undefined;
    const keyboard = inlineKeyboard(p.buttons, p.buttonsPerRow);
    const message = await postToChat(ctx, chatId, p.kind === 'photo' ? 'sendPhoto' : 'sendDocument', {
      [p.kind]: file,
      ...(caption ? { caption, ...parseModeField(p.parseMode) } : {}),
      ...(p.replyTo ? { reply_parameters: { message_id: Number(p.replyTo), allow_sending_without_reply: true } } : {}),
      ...(keyboard ? { reply_markup: keyboard } : {}),
    });
    const shown = message.caption ?? caption;
    await recordSent(ctx, message, {
      messageType: p.kind,
      ...(shown ? { text: shown } : {}),
      media: [{ kind: p.kind === 'photo' ? 'image' : 'document', ...(file.includes('://') ? { url: file } : { id: file }), ...(shown ? { caption: shown } : {}) }],
      choices: p.buttons.filter((b) => b.action === 'callback').map((b) => ({ id: b.value, title: b.title })),
    });
    const fileId = message.photo?.at(-1)?.file_id ?? message.document?.file_id ?? null;
    return { main: { ...sentOutput(message), kind: p.kind, fileId } };
  },
});
