import type { AnyNodeDefinition, CredentialKindDefinition } from '@switchyard/sdk';
import credential from './credential.js';
import markRead from './mark-read/index.js';
import react from './react/index.js';
import sendAndWaitChoice from './send-and-wait-choice/index.js';
import sendAndWaitReply from './send-and-wait-reply/index.js';
import sendButtons from './send-buttons/index.js';
import sendList from './send-list/index.js';
import sendMedia from './send-media/index.js';
import sendTemplate from './send-template/index.js';
import sendText from './send-text/index.js';
import trigger from './trigger/index.js';

/** WhatsApp Cloud API nodes, in palette order. */
export const nodes: AnyNodeDefinition[] = [
  trigger, sendText, sendTemplate, sendMedia, sendButtons, sendList, react, markRead, sendAndWaitReply, sendAndWaitChoice,
];

export const credentialKinds: CredentialKindDefinition[] = [credential];
