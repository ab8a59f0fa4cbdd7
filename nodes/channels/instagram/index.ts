import type { AnyNodeDefinition, CredentialKindDefinition } from '@switchyard/sdk';
import commentTrigger from './comment-trigger/index.js';
import credential from './credential.js';
import moderateComment from './moderate-comment/index.js';
import privateReply from './private-reply/index.js';
import publish from './publish/index.js';
import replyComment from './reply-comment/index.js';
import sendAndWaitChoice from './send-and-wait-choice/index.js';
import sendAndWaitReply from './send-and-wait-reply/index.js';
import sendDm from './send-dm/index.js';
import trigger from './trigger/index.js';

/** Instagram nodes, in palette order. */
export const nodes: AnyNodeDefinition[] = [
  trigger, commentTrigger, sendDm, replyComment, privateReply, moderateComment, publish, sendAndWaitReply, sendAndWaitChoice,
];

export const credentialKinds: CredentialKindDefinition[] = [credential];
