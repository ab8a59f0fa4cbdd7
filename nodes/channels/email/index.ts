import type { AnyNodeDefinition, CredentialKindDefinition } from '@switchyard/sdk';
import { imapCredential, smtpCredential } from './credentials.js';
import imapTrigger from './imap-trigger/index.js';
import send from './send/index.js';

/** Email's nodes, in palette order. */
export const nodes: AnyNodeDefinition[] = [imapTrigger, send];

export const credentialKinds: CredentialKindDefinition[] = [smtpCredential, imapCredential];
