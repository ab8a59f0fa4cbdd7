import type { AnyNodeDefinition, CredentialKindDefinition } from '@switchyard/sdk';
import answerCallback from './answer-callback/index.js';
import telegramBot from './credential.js';
import editMessage from './edit-message/index.js';
import sendAndWaitChoice from './send-and-wait-choice/index.js';
import sendAndWaitReply from './send-and-wait-reply/index.js';
import sendMedia from './send-media/index.js';
import sendMessage from './send-message/index.js';
import trigger from './trigger/index.js';

/** The Telegram Bot API provider: a trigger, its send nodes, and the bot credential (docs/channels.md). */
export const nodes: AnyNodeDefinition[] = [
  trigger, sendMessage, sendMedia, sendAndWaitReply, sendAndWaitChoice, answerCallback, editMessage,
];

export const credentialKinds: CredentialKindDefinition[] = [telegramBot];
