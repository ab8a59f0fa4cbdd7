import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NonRetryableError } from '@switchyard/sdk';
import { startGraphFake, type GraphFake } from '../../meta/fake.js';
import { channelTestContext, localHttp, stepFailure, whatsappCredential } from '../../meta/testing.js';
import { runNode } from '../../../testing.js';
import sendMedia from './index.js';

let fake: GraphFake;
const http = localHttp();
const ctx = () => channelTestContext(http, whatsappCredential(fake));
const to = '+14155552671';

beforeAll(async () => { fake = await startGraphFake(); });
afterAll(async () => { http.close(); await fake.close(); });
beforeEach(() => fake.reset());

describe('whatsapp.send-media', () => {
  it('sends each kind by link, with a caption and a document\'s file name', async () => {
    await runNode(sendMedia, null, { to, kind: 'image', url: 'https://cdn.example.com/a.jpg', caption: 'Your photo' }, ctx());
    await runNode(sendMedia, null, { to, kind: 'Document', url: 'https://cdn.example.com/i.pdf', caption: 'Invoice', fileName: 'invoice-42.pdf' }, ctx());
    for (const kind of ['video', 'audio', 'sticker']) await runNode(sendMedia, null, { to, kind, url: `https://cdn.example.com/x.${kind}` }, ctx());
    expect(fake.whatsappMessages.map((m) => ({ type: m.type, content: m.body[m.type] }))).toEqual([
      { type: 'image', content: { link: 'https://cdn.example.com/a.jpg', caption: 'Your photo' } },
      { type: 'document', content: { link: 'https://cdn.example.com/i.pdf', caption: 'Invoice', filename: 'invoice-42.pdf' } },
      { type: 'video', content: { link: 'https://cdn.example.com/x.video' } },
      { type: 'audio', content: { link: 'https://cdn.example.com/x.audio' } },
      { type: 'sticker', content: { link: 'https://cdn.example.com/x.sticker' } },
    ]);
  });

  it('refuses an unsupported kind, a caption on audio and a non-http URL, naming the field, before calling WhatsApp', async () => {
    const kind = await stepFailure(runNode(sendMedia, null, { to, kind: 'gif', url: 'https://cdn.example.com/a.gif' }, ctx()));
    expect(kind).toBeInstanceOf(NonRetryableError);
    expect(kind.message).toBe('kind: "gif" is not a media type WhatsApp sends (use image, video, audio, document, sticker)');
    expect((await stepFailure(runNode(sendMedia, null, { to, kind: 'audio', url: 'https://cdn.example.com/a.ogg', caption: 'hi' }, ctx()))).message).toMatch(/^caption: /);
    expect((await stepFailure(runNode(sendMedia, null, { to, kind: 'image', url: 'file:///etc/passwd' }, ctx()))).message).toMatch(/^url: Meta downloads media over http\(s\) only/);
    expect((await stepFailure(runNode(sendMedia, null, { to, kind: 'image', url: 'not a url' }, ctx()))).message).toMatch(/^url: "not a url" is not a URL/);
    expect(fake.calls).toHaveLength(0);
  });
});
