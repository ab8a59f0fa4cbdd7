import { describe, expect, it } from 'vitest';
import type { ConversationMessageRecord } from '../../../runtime/services/types.js';
import { choicesOf, contactLabel, deliveryStatus, EMAIL_HTML_POLICY, emailDocument, emailOf, errorOf, mediaOf, previewOf } from './message-parts';

function message(over: Partial<ConversationMessageRecord>): ConversationMessageRecord {
  return {
    id: 'm1', direction: 'in', text: null, messageType: 'text', media: null, choices: null, email: null, status: 'received', statusAt: null,
    error: null, providerMessageId: 'p1', executionId: null, stepKey: null, createdAt: '2026-01-01T10:00:00.000Z', ...over,
  };
}

describe('inbox message parts', () => {
  it('media: keeps references, links only http(s) URLs', () => {
    const media = mediaOf(message({ media: [
      { kind: 'image', url: 'https://cdn.example/a.jpg', caption: 'A cat', mimeType: 'image/jpeg' },
      { kind: 'document', url: 'javascript:alert(1)', fileName: 'x.pdf' },
      { id: 'AgAC-1' },
      'not a reference',
    ] }));
    expect(media).toEqual([
      { kind: 'image', url: 'https://cdn.example/a.jpg', caption: 'A cat', mimeType: 'image/jpeg' },
      { kind: 'document', fileName: 'x.pdf' },
      { kind: 'file' },
    ]);
    expect(mediaOf(message({ media: { kind: 'image' } }))).toEqual([]);
  });

  it('choices: id and title, the id standing in for a missing title; malformed entries left out', () => {
    expect(choicesOf(message({ choices: [{ id: 'yes', title: 'Yes' }, { id: 7 }, { title: 'no id' }, null] }))).toEqual([
      { id: 'yes', title: 'Yes' }, { id: '7', title: '7' },
    ]);
    expect(choicesOf(message({ choices: null }))).toEqual([]);
  });

  it('errors, statuses and names in words', () => {
    expect(errorOf(message({ error: { code: '131047', message: 'Re-engagement message' } }))).toBe('Re-engagement message (131047)');
    expect(errorOf(message({ error: { message: 'blocked' } }))).toBe('blocked');
    expect(errorOf(message({ error: null }))).toBeUndefined();
    expect(deliveryStatus('read')).toEqual({ label: 'Read', tone: 'succeeded' });
    expect(deliveryStatus('failed')).toEqual({ label: 'Failed', tone: 'failed' });
    expect(deliveryStatus('sent')).toEqual({ label: 'Sent', tone: 'running' });
    expect(deliveryStatus('weird')).toEqual({ label: 'weird', tone: 'running' });
    expect(contactLabel({ id: '5550001', name: 'Ada Lovelace' })).toBe('Ada Lovelace');
    expect(contactLabel({ id: '5550001', name: '  ' })).toBe('5550001');
  });

  it('previews the last message in one line', () => {
    expect(previewOf(message({ text: 'Hi there' }))).toBe('Hi there');
    expect(previewOf(message({ direction: 'out', text: 'Hello!' }))).toBe('You: Hello!');
    expect(previewOf(message({ messageType: 'image', media: [{ kind: 'image', caption: 'Look' }] }))).toBe('Look');
    expect(previewOf(message({ messageType: 'image', media: [{ kind: 'image' }] }))).toBe('[image]');
    expect(previewOf(message({ messageType: 'location' }))).toBe('[location]');
    expect(previewOf(null)).toBe('');
  });

  it('email: subject and bodies when well formed; its HTML only ever as a document under a policy that loads nothing', () => {
    expect(emailOf(message({ email: { subject: 'Hi', text: 'Body', html: '<b>Body</b>' } }))).toEqual({ subject: 'Hi', text: 'Body', html: '<b>Body</b>' });
    expect(emailOf(message({ email: { subject: '', text: 'x', html: '  ' } }))).toEqual({ subject: '', text: 'x' });
    expect(emailOf(message({ email: null }))).toBeUndefined();
    const doc = emailDocument('<script>alert(1)</script><img src="https://tracker.example/p.gif">');
    // The policy comes before the mail's own markup, so the mail cannot loosen it.
    expect(doc.indexOf(EMAIL_HTML_POLICY)).toBeLessThan(doc.indexOf('<script>'));
    expect(EMAIL_HTML_POLICY).toContain("default-src 'none'");
    expect(EMAIL_HTML_POLICY).not.toMatch(/script-src|https?:/);
  });
});
