import { defineNode, type TriggerLifecycleContext } from '@switchyard/sdk';
import { telegramError, TelegramClient } from '../client.js';
import { credentialSlots } from '../props.js';
import { webhookInfoSchema } from '../types.js';
import { matchesUpdate, triggerProps, type TriggerProps } from './filter.js';

function clientFor(ctx: TriggerLifecycleContext): TelegramClient {
  const { fields } = ctx.account;
  return new TelegramClient(ctx.http, (fields.token ?? '').trim(), fields.baseUrl, ctx.signal);
}

/** The bot's current webhook, or undefined when Telegram would not say. */
async function currentWebhook(client: TelegramClient) {
  const answer = await client.patient('getWebhookInfo');
  if (!answer.ok) return undefined;
  const info = webhookInfoSchema.safeParse(answer.result);
  return info.success ? info.data : undefined;
}

/**
 * Points the bot's webhook at the account's callback URL with the account's secret, for the update
 * kinds this trigger wants plus those already registered for this URL (other active flows on the same
 * bot keep theirs). A refusal refuses the activation with Telegram's description.
 */
async function register(ctx: TriggerLifecycleContext, p: TriggerProps): Promise<void> {
  const client = clientFor(ctx);
  const current = await currentWebhook(client);
  const kept = current?.url === ctx.account.callbackUrl ? (current.allowed_updates ?? []) : [];
  const allowed = [...new Set([...kept, ...p.updates])];
  const answer = await client.patient('setWebhook', {
    url: ctx.account.callbackUrl,
    secret_token: ctx.account.secret,
    allowed_updates: allowed,
    drop_pending_updates: false,
  });
  if (!answer.ok) throw telegramError(answer.failure, 'webhook_refused');
  ctx.log.info('telegram webhook set', { allowedUpdates: allowed });
}

/** Removes the webhook, unless it now points somewhere else (then it is not ours to remove). */
async function unregister(ctx: TriggerLifecycleContext): Promise<void> {
  const client = clientFor(ctx);
  const current = await currentWebhook(client);
  if (current && current.url !== ctx.account.callbackUrl) {
    ctx.log.info('telegram webhook left alone: it points elsewhere now');
    return;
  }
  const answer = await client.patient('deleteWebhook', { drop_pending_updates: false });
  if (!answer.ok) throw telegramError(answer.failure);
}

/**
 * Starts the flow on the bot's updates: messages, edits, channel posts, button presses, membership
 * changes and reactions, filtered by kind, message type, command and text. Activation sets the bot's
 * webhook (setWebhook with a secret token checked on every delivery); deactivation deletes it.
 */
export default defineNode({
  type: 'telegram.trigger',
  version: 1,
  title: 'Telegram trigger',
  category: 'Channels',
  description: 'Starts the flow when the Telegram bot receives a message, a button press or another update',
  icon: 'bot',
  props: triggerProps,
  credentials: credentialSlots,
  ports: { in: [], out: ['main'] },
  trigger: {
    kind: 'channel',
    channel: {
      account: 'bot',
      matches: matchesUpdate,
      honoursHandoff: (p) => p.pauseOnHandoff,
      register,
      unregister,
    },
  },
  sideEffects: false,
  literalProps: ['updates', 'messageTypes', 'commands', 'textMatch', 'textValue', 'caseSensitive', 'pauseOnHandoff'],
  /** `input` is the event as the inbound gateway built it (see docs/channels.md, Telegram). */
  run(_ctx, input) {
    return { main: input };
  },
});
