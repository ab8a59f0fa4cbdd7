import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundAccount } from '@switchyard/sdk';
import { igText, instagramDelivery, metaJson, signMetaBody } from '../meta/fake-webhooks.js';
import { startGraphFake, type GraphFake } from '../meta/fake.js';
import { instagramCredential, localHttp } from '../meta/testing.js';
import credential from './credential.js';

let fake: GraphFake;
const http = localHttp();

beforeAll(async () => { fake = await startGraphFake(); });
afterAll(async () => { http.close(); await fake.close(); });

describe('instagram-messaging credential', () => {
  it('"Test connection" reads the account, and says why when the token is refused, without the token', async () => {
    const signal = new AbortController().signal;
    expect(await credential.test!(instagramCredential(fake).fields, { http, signal })).toEqual({ ok: true, message: 'Connected: @switchyard_shop.' });
    const bad = await credential.test!(instagramCredential(fake, { accessToken: 'IGQV-bad' }).fields, { http, signal });
    expect(bad).toMatchObject({ ok: false, message: expect.stringMatching(/answered 401 \(error 190\)/) });
    expect(bad.message).not.toContain('IGQV-bad');
  });

  it('verifies and parses signed deliveries through its inbound handler', () => {
    const fields = instagramCredential(fake).fields;
    const account: InboundAccount = { credentialId: 'cred-ig', fields, secret: 'vt', callbackUrl: 'https://sy.example/inbound/cred-ig' };
    const body = metaJson(instagramDelivery(fields.igAccountId!, [{ messaging: [igText('6143260889082201', fields.igAccountId!, 'Bonjour 👋', { mid: 'mid.x' })] }]));
    const delivery = { method: 'POST', url: account.callbackUrl, query: {}, rawBody: new TextEncoder().encode(body), headers: { 'x-hub-signature-256': signMetaBody(body, fields.appSecret!) } };
    const inbound = credential.inbound!;
    expect(inbound.verify(delivery, account)).toBeUndefined();
    expect(inbound.verify({ ...delivery, headers: { 'x-hub-signature-256': `${signMetaBody(body, fields.appSecret!).slice(0, -2)}` } }, account)?.status).toBe(403);
    expect(inbound.parse(delivery, account).map((e) => e.message?.text)).toEqual(['Bonjour 👋']);
    expect(inbound.handshake!({ ...delivery, method: 'GET', query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' } }, account)?.status).toBe(403);
  });
});
