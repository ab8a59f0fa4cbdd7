import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundAccount } from '@switchyard/sdk';
import { metaJson, signMetaBody, whatsappTexts } from '../meta/fake-webhooks.js';
import { startGraphFake, type GraphFake } from '../meta/fake.js';
import { localHttp, whatsappCredential } from '../meta/testing.js';
import credential from './credential.js';

let fake: GraphFake;
const http = localHttp();

beforeAll(async () => { fake = await startGraphFake(); });
afterAll(async () => { http.close(); await fake.close(); });

describe('whatsapp-cloud credential', () => {
  it('"Test connection" reads the phone number, and says why when the token is refused, without the token', async () => {
    const signal = new AbortController().signal;
    const good = await credential.test!(whatsappCredential(fake).fields, { http, signal });
    expect(good).toEqual({ ok: true, message: 'Connected: Switchyard Test (15550783881).' });
    expect(fake.calls.at(-1)).toMatchObject({ method: 'GET', path: fake.phoneNumbers[0]!.id, query: { fields: 'display_phone_number,verified_name,quality_rating' } });
    const bad = await credential.test!(whatsappCredential(fake, { accessToken: 'EAAG-expired' }).fields, { http, signal });
    expect(bad.ok).toBe(false);
    expect(bad.message).toMatch(/answered 401 \(error 190\).*token was refused/);
    expect(bad.message).not.toContain('EAAG-expired');
  });

  it('receives signed deliveries through its inbound handler: handshake, signature, events', () => {
    const fields = whatsappCredential(fake).fields;
    const account: InboundAccount = { credentialId: 'cred-wa', fields, secret: 'derived-verify-token', callbackUrl: 'https://sy.example/inbound/cred-wa' };
    const inbound = credential.inbound!;
    expect(inbound.secretLabel).toBe('Verify token');
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'derived-verify-token', 'hub.challenge': '8127' };
    expect(inbound.handshake!({ method: 'GET', url: account.callbackUrl, headers: {}, query, rawBody: new Uint8Array() }, account)).toMatchObject({ status: 200, body: '8127' });
    const body = metaJson(whatsappTexts({ wabaId: fields.wabaId!, phoneNumberId: fields.phoneNumberId!, displayPhoneNumber: '15550783881' }, [{ from: '16505551234', name: 'Zoë', text: 'olá ✨', id: 'wamid.Z' }]));
    const delivery = { method: 'POST', url: account.callbackUrl, query: {}, rawBody: new TextEncoder().encode(body), headers: { 'x-hub-signature-256': signMetaBody(body, fields.appSecret!) } };
    expect(inbound.verify(delivery, account)).toBeUndefined();
    expect(inbound.verify({ ...delivery, headers: { 'x-hub-signature-256': signMetaBody(body, 'another-app') } }, account)?.status).toBe(403);
    expect(inbound.verify({ ...delivery, headers: {} }, account)?.status).toBe(401);
    expect(inbound.parse(delivery, account).map((e) => [e.id, e.contact?.name, e.message?.text])).toEqual([['wamid.Z', 'Zoë', 'olá ✨']]);
  });

  it('keeps the base URL and version under Advanced, and refuses a malformed version', () => {
    const shape = credential.schema.shape;
    expect(shape.baseUrl.meta()).toMatchObject({ group: 'Advanced' });
    expect(shape.version.meta()).toMatchObject({ group: 'Advanced' });
    expect(shape.accessToken.meta()).toMatchObject({ secret: true });
    expect(shape.appSecret.meta()).toMatchObject({ secret: true });
    expect(credential.schema.safeParse({ ...whatsappCredential(fake).fields, version: '21' }).success).toBe(false);
  });
});
