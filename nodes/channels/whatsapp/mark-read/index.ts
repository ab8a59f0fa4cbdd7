import { z } from 'zod';
import { defineNode, ui, type JsonObject } from '@switchyard/sdk';
import { postMessages } from '../client.js';
import { whatsappAccount } from '../credential.js';
import { accountSlot, orFromInput } from '../props.js';

const props = z.object({
  messageId: ui(z.string().trim().optional(), {
    title: 'Message', description: 'The incoming message (wamid) to mark as read. Empty: the incoming message', placeholder: '{{ $json.messageId }}',
  }),
  /** Default: false. */
  typing: ui(z.boolean().default(false), { title: 'Show typing', description: 'Also show "typing…" to the contact until the next message (or 25 seconds)' }),
});

/** Marks an incoming message as read (blue ticks), optionally with a typing indicator. */
export default defineNode({
  type: 'whatsapp.mark-read',
  version: 1,
  title: 'WhatsApp: mark as read',
  category: 'Channels',
  description: 'Marks an incoming message as read (blue ticks), optionally showing "typing…"',
  icon: 'message',
  props,
  credentials: accountSlot,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, input, p) {
    const account = whatsappAccount(ctx.credentials.account);
    const messageId = orFromInput(p.messageId, input, 'messageId', 'messageId');
    const payload: JsonObject = { messaging_product: 'whatsapp', status: 'read', message_id: messageId };
    if (p.typing) payload.typing_indicator = { type: 'text' };
    const answer = await postMessages(ctx, account, payload);
    return { main: { messageId, success: answer.success === true } };
  },
});
