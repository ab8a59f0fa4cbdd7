import { z } from 'zod';
import { defineCredentialKind, ui, type CredentialValue } from '@switchyard/sdk';
import { appSecretField, baseUrlField, graphTarget, readCredentialFields, testGraphObject, versionField } from '../meta/credential-fields.js';
import type { GraphTarget } from '../meta/graph.js';
import { checkMetaSignature, metaHandshake, SIGNATURE_HEADER } from '../meta/signature.js';
import { replyWithInstagram } from './inbox-reply.js';
import { parseInstagramDelivery } from './parse.js';
import { instagramSimulator } from './simulator.js';

const schema = z.object({
  accessToken: ui(z.string().min(1, 'the access token is required'), {
    title: 'Access token', secret: true, expression: false,
    description: 'The Facebook Page\'s access token linked to the Instagram account (instagram_manage_messages, instagram_manage_comments, instagram_content_publish), or an Instagram user token with base URL https://graph.instagram.com',
  }),
  igAccountId: ui(z.string().regex(/^\d{5,25}$/, 'the Instagram account ID is digits, e.g. 17841400000000001'), {
    title: 'Instagram account ID', description: 'The Instagram professional account\'s ID (Graph API: GET /me/accounts?fields=instagram_business_account)', expression: false,
  }),
  appSecret: appSecretField,
  baseUrl: baseUrlField,
  version: versionField,
});

/** The Instagram account a node acts as: its credential id (the conversation's account), Graph target and id. */
export interface InstagramAccount {
  credentialId: string;
  igAccountId: string;
  target: GraphTarget;
}

/** Reads a node's Instagram credential (fields as stored, strings). */
export function instagramAccount(credential: CredentialValue): InstagramAccount {
  const fields = readCredentialFields(schema, credential.fields, 'Instagram');
  return { credentialId: credential.id ?? fields.igAccountId, igAccountId: fields.igAccountId, target: graphTarget(fields) };
}

/**
 * An Instagram professional account on the Messenger API for Instagram: DMs, comments and content
 * publishing. Its callback URL takes Meta's `instagram` webhook (messages, postbacks, reactions,
 * reads, comments), checked with the app secret.
 */
export default defineCredentialKind({
  kind: 'instagram-messaging',
  title: 'Instagram (Messenger API)',
  description: 'An Instagram professional account: direct messages, comments and publishing through Meta\'s Graph API, events through its callback URL.',
  schema,
  test: (fields, ctx) => testGraphObject(
    graphTarget({ accessToken: fields.accessToken ?? '', baseUrl: fields.baseUrl, version: fields.version }), ctx,
    fields.igAccountId ?? '', 'id,username',
    (body) => `@${String(body.username ?? fields.igAccountId)}`,
  ),
  replyText: (ctx, contactId, text) => replyWithInstagram(ctx, contactId, text),
  inbound: {
    secretLabel: 'Verify token',
    handshake: metaHandshake,
    verify: (delivery, account) => checkMetaSignature(delivery.headers[SIGNATURE_HEADER], delivery.rawBody, account.fields.appSecret ?? ''),
    parse: (delivery, account) => parseInstagramDelivery(delivery.rawBody, account.fields.igAccountId ?? ''),
    simulator: instagramSimulator,
  },
});
