import type { AnyNodeDefinition, CredentialKindDefinition } from '@switchyard/sdk';
import check from './check/index.js';
import send from './send/index.js';

/** Built-in one-time codes, in palette order. */
export const nodes: AnyNodeDefinition[] = [send, check];

/** OTP sends through the Twilio, WhatsApp and SMTP kinds; it has none of its own. */
export const credentialKinds: CredentialKindDefinition[] = [];
