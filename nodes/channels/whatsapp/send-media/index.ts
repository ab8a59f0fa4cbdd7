import { z } from 'zod';
import { defineNode, NonRetryableError, ui, type JsonObject } from '@switchyard/sdk';
import { mediaKind, mediaUrl } from '../../meta/media-url.js';
import { recipient, sendMessage } from '../client.js';
import { whatsappAccount } from '../credential.js';
import { accountSlot, defaultCountryField, replyToField, sentOutput, toField } from '../props.js';

export const WHATSAPP_MEDIA_KINDS = ['image', 'video', 'audio', 'document', 'sticker'] as const;
/** Kinds WhatsApp shows a caption with. */
const CAPTIONED = new Set(['image', 'video', 'document']);
/** The Cloud API's limit on a media caption. */
const CAPTION_LIMIT = 1024;

const props = z.object({
  to: toField,
  // Text, not a select: it may come from the incoming message, e.g. {{ $json.media[0].kind }}.
  kind: ui(z.string().trim().min(1, 'enter the media type').default('image'), {
    title: 'Media type', description: 'image, video, audio, document or sticker', placeholder: 'image',
  }),
  url: ui(z.string().min(1, 'enter the media URL'), { title: 'URL', description: 'Public http(s) URL WhatsApp downloads the file from', placeholder: 'https://example.com/receipt.pdf' }),
  caption: ui(z.string().max(CAPTION_LIMIT).optional(), { title: 'Caption', description: 'Shown under an image, video or document', widget: 'textarea' }),
  fileName: ui(z.string().max(240).optional(), { title: 'File name', description: 'Documents: the name the contact sees' }),
  replyTo: replyToField,
  defaultCountry: defaultCountryField,
});

/** Sends an image, video, audio, document or sticker by URL (WhatsApp fetches it). */
export default defineNode({
  type: 'whatsapp.send-media',
  version: 1,
  title: 'WhatsApp: send media',
  category: 'Channels',
  description: 'Sends an image, video, audio file, document or sticker by URL',
  icon: 'message',
  props,
  credentials: accountSlot,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, input, p) {
    const kind = mediaKind(p.kind, WHATSAPP_MEDIA_KINDS, 'kind', 'WhatsApp');
    const link = mediaUrl(p.url, 'url');
    const caption = p.caption?.trim() ? p.caption : undefined;
    if (caption && !CAPTIONED.has(kind)) throw new NonRetryableError(`caption: WhatsApp shows no caption with ${kind === 'audio' ? 'audio' : 'a sticker'}; leave it empty`, { code: 'unsupported_caption' });
    const account = whatsappAccount(ctx.credentials.account);
    const to = recipient(p.to, input, p.defaultCountry);
    const media: JsonObject = { link };
    if (caption) media.caption = caption;
    if (kind === 'document' && p.fileName) media.filename = p.fileName;
    const content: JsonObject = { type: kind, [kind]: media };
    if (p.replyTo) content.context = { message_id: p.replyTo };
    const sent = await sendMessage(ctx, account, to, content, {
      messageType: kind, text: caption, media: [{ kind, url: link, ...(caption ? { caption } : {}), ...(p.fileName ? { fileName: p.fileName } : {}) }],
    });
    return sentOutput(sent, { kind });
  },
});
