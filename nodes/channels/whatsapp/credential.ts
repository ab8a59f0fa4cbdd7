import { z } from 'zod';
import { defineCredentialKind, ui, type CredentialValue } from '@switchyard/sdk';
import { appSecretField, baseUrlField, graphTarget, readCredentialFields, testGraphObject, versionField } from '../meta/credential-fields.js';
import type { GraphTarget } from '../meta/graph.js';
import { checkMetaSignature, metaHandshake, SIGNATURE_HEADER } from '../meta/signature.js';
import { whatsappSimulator } from './simulator.js';
import { replyWithWhatsApp } from './inbox-reply.js';
import { parseWhatsAppDelivery } from './parse.js';

const schema = z.object({
  accessToken: ui(z.string().min(1, 'the access token is required'), {
    title: 'Access token', secret: true, expression: false,
    description: 'A system user\'s permanent token with whatsapp_business_messaging and whatsapp_business_management (Business settings → System users)',
  }),
  phoneNumberId: ui(z.string().regex(/^\d{5,20}$/, 'the phone number ID is digits, e.g. 106540352242922'), {
    title: 'Phone number ID', description: 'WhatsApp → API Setup in the App Dashboard (not the phone number itself)', expression: false,
  }),
  wabaId: ui(z.string().regex(/^\d{5,20}$/, 'the WhatsApp Business Account ID is digits'), {
    title: 'WhatsApp Business Account ID', description: 'WhatsApp → API Setup in the App Dashboard', expression: false,
  }),
  appSecret: appSecretField,
  baseUrl: baseUrlField,
  version: versionField,
});

/** A WhatsApp Cloud API credential's fields, typed. */
export type WhatsAppFields = z.infer<typeof schema>;

/** The business number a node sends from: its credential id (the conversation's account), Graph target and ids. */
export interface WhatsAppAccount {
  credentialId: string;
  phoneNumberId: string;
  wabaId: string;
  target: GraphTarget;
}

/** Reads a node's WhatsApp credential (fields as stored, strings). */
export function whatsappAccount(credential: CredentialValue): WhatsAppAccount {
  const fields = readCredentialFields(schema, credential.fields, 'WhatsApp');
  return { credentialId: credential.id ?? fields.phoneNumberId, phoneNumberId: fields.phoneNumberId, wabaId: fields.wabaId, target: graphTarget(fields) };
}

/**
 * A WhatsApp Cloud API business number. Its callback URL takes Meta's webhook: the handshake with
 * the verify token shown in the editor, `X-Hub-Signature-256` checked with the app secret, and each
 * message and status of a delivery as its own event.
 */
export default defineCredentialKind({
  kind: 'whatsapp-cloud',
  title: 'WhatsApp Cloud API',
  description: 'A WhatsApp Business phone number on Meta\'s Cloud API: sends messages and receives them through its callback URL.',
  schema,
  test: (fields, ctx) => testGraphObject(
    graphTarget({ accessToken: fields.accessToken ?? '', baseUrl: fields.baseUrl, version: fields.version }), ctx,
    fields.phoneNumberId ?? '', 'display_phone_number,verified_name,quality_rating',
    (body) => `${String(body.verified_name ?? 'WhatsApp number')} (${String(body.display_phone_number ?? fields.phoneNumberId)})`,
  ),
  replyText: (ctx, contactId, text) => replyWithWhatsApp(ctx, contactId, text),
  inbound: {
    secretLabel: 'Verify token',
    handshake: metaHandshake,
    verify: (delivery, account) => checkMetaSignature(delivery.headers[SIGNATURE_HEADER], delivery.rawBody, account.fields.appSecret ?? ''),
    parse: (delivery, account) => parseWhatsAppDelivery(delivery.rawBody, account.fields.phoneNumberId ?? ''),
    simulator: whatsappSimulator,
  },
});
