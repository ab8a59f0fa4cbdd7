import { z } from 'zod';
import { defineNode, NonRetryableError, ui, type ConversationMessage, type Json } from '@switchyard/sdk';

const props = z.object({
  /** The channel account (credential id). Default: the account whose event started the flow. */
  accountId: ui(z.string().trim().default('{{ $trigger.accountId }}'), {
    title: 'Account', description: 'The channel account (credential id) of the conversation; by default the one whose event started the flow',
  }),
  /** The contact on that account. Default: the contact whose event started the flow. */
  contactId: ui(z.string().trim().default('{{ $trigger.contact.id }}'), {
    title: 'Contact', description: 'The contact of the conversation; by default the one whose event started the flow',
  }),
  /** How many of the last messages. Default: 20. */
  limit: ui(z.number().int().min(1).max(500).default(20), { title: 'Messages', description: 'How many of the last messages, oldest first (at most 500)' }),
  /** `chat`: `[{ role, content }]` as an LLM expects; `raw`: the stored messages. Default: 'chat'. */
  format: ui(z.enum(['chat', 'raw']).default('chat'), {
    title: 'Format', description: 'Chat messages for an AI model, or the stored messages with their statuses',
    enumLabels: { chat: 'Chat (role and content, for an AI model)', raw: 'Stored messages (direction, type, status, time)' },
  }),
});

/** A message as an LLM reads it: what the contact wrote is the user's turn, what was sent is the assistant's. */
function chatTurn(message: ConversationMessage): Json {
  return { role: message.direction === 'in' ? 'user' : 'assistant', content: message.text ?? `[${message.messageType}]` };
}

function rawMessage(message: ConversationMessage): Json {
  return {
    direction: message.direction, text: message.text, messageType: message.messageType, at: message.at, status: message.status,
    providerMessageId: message.providerMessageId,
    ...(message.media ? { media: message.media.map((m) => ({ kind: m.kind, ...(m.url ? { url: m.url } : {}), ...(m.id ? { id: m.id } : {}) })) } : {}),
  };
}

/**
 * The last messages of a conversation from the conversation store (every channel records its
 * inbound and outbound messages there): the memory an AI reply needs.
 */
export default defineNode({
  type: 'channels.conversation-history',
  version: 1,
  title: 'Conversation history',
  category: 'Channels',
  description: 'The last messages with a contact, as chat turns for an AI model or as stored',
  icon: 'message',
  props,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: false,
  async run(ctx, _input, { accountId, contactId, limit, format }) {
    if (!ctx.channels) throw new NonRetryableError('the conversation store is not available to this node', { code: 'no_conversation_store' });
    if (!accountId) throw new NonRetryableError('"Account" is empty: the flow was not started by a channel event; choose the account', { code: 'invalid_props' });
    if (!contactId) throw new NonRetryableError('"Contact" is empty: the flow was not started by a contact\'s event; give the contact id', { code: 'invalid_props' });
    const messages = await ctx.channels.history(accountId, contactId, limit);
    return { main: { messages: messages.map(format === 'chat' ? chatTurn : rawMessage), count: messages.length } };
  },
});
