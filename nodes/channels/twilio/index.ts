import type { AnyNodeDefinition, CredentialKindDefinition } from '@switchyard/sdk';
import twilioCredential from './credential.js';
import sendSms from './send-sms/index.js';
import smsTrigger from './sms-trigger/index.js';
import verifyCheck from './verify-check/index.js';
import verifyStart from './verify-start/index.js';

/** Twilio's nodes, in palette order. */
export const nodes: AnyNodeDefinition[] = [smsTrigger, sendSms, verifyStart, verifyCheck];

export const credentialKinds: CredentialKindDefinition[] = [twilioCredential];
