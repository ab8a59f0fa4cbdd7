import { simpleParser } from 'mailparser';
import { expect } from 'vitest';
import type { AiFake } from '../../nodes/ai/fake.js';
import type { SmtpFake } from '../../nodes/channels/email/fake-smtp.js';
import type { GraphFake } from '../../nodes/channels/meta/fake.js';
import type { Body } from '../../app/server/test-api.server.js';
import type { TemplateBed } from './harness.js';

/**
 * Credentials pointing at the local provider fakes (the same fakes the channel, AI and payment tests
 * use), created through the API as a user would, and small waits for what a template's test checks.
 */

/** The app secret the Meta fakes' deliveries are signed with in template tests. */
export const META_APP_SECRET = 'template-meta-app-secret';

export function instagramCredential(bed: TemplateBed, graph: GraphFake): Promise<string> {
  return bed.credential('instagram-messaging', `Instagram ${Math.random().toString(36).slice(2, 8)}`, {
    accessToken: graph.accessToken, igAccountId: graph.instagram.account.id, appSecret: META_APP_SECRET, baseUrl: graph.url,
  });
}

export function whatsappCredential(bed: TemplateBed, graph: GraphFake): Promise<string> {
  return bed.credential('whatsapp-cloud', `WhatsApp ${Math.random().toString(36).slice(2, 8)}`, {
    accessToken: graph.accessToken, phoneNumberId: graph.phoneNumbers[0]!.id, wabaId: '102290129340398', appSecret: META_APP_SECRET, baseUrl: graph.url,
  });
}

export function aiCredential(bed: TemplateBed, ai: AiFake): Promise<string> {
  return bed.credential('ai-provider', `AI ${Math.random().toString(36).slice(2, 8)}`, {
    preset: 'custom', baseUrl: ai.url, ...(ai.apiKey ? { apiKey: ai.apiKey } : {}),
  });
}

export function smtpCredential(bed: TemplateBed, smtp: SmtpFake): Promise<string> {
  return bed.credential('smtp', `SMTP ${Math.random().toString(36).slice(2, 8)}`, {
    host: '127.0.0.1', port: smtp.port, security: 'none', user: smtp.user, password: smtp.password, from: 'Shop <shop@example.com>',
  });
}

/** An account's callback URL on the bed's server: where the provider delivers its webhooks. */
export function callbackUrl(bed: TemplateBed, credentialId: string): string {
  return `${bed.http.base}/inbound/${credentialId}`;
}

/** Polls `check` until it returns something other than undefined/false; fails naming `what` after `timeoutMs`. */
export async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** The plain-text emails the SMTP fake accepted for `address`. */
export async function mailsTo(smtp: SmtpFake, address: string): Promise<{ subject: string; text: string }[]> {
  const parsed = await Promise.all(smtp.messages.filter((m) => m.to.includes(address)).map((m) => simpleParser(m.raw)));
  return parsed.map((m) => ({ subject: m.subject ?? '', text: m.text ?? '' }));
}

/** The flow's executions, oldest first. */
export async function executionsOf(bed: TemplateBed, flowId: string): Promise<Body[]> {
  const list = await bed.api('GET', `/api/executions?flowId=${flowId}&limit=100`);
  expect(list.status, list.text).toBe(200);
  return [...(list.body as Body[])].reverse();
}

/** Waits until every execution of the flow has ended (none running, queued or waiting) and there are at least `count`. */
export async function settled(bed: TemplateBed, flowId: string, count: number, timeoutMs = 60_000): Promise<Body[]> {
  return until(async () => {
    const all = await executionsOf(bed, flowId);
    return all.length >= count && all.every((e) => ['succeeded', 'failed', 'cancelled'].includes(e.status)) ? all : undefined;
  }, `${count} finished execution(s) of flow ${flowId}`, timeoutMs);
}

/** One execution with its steps. */
export async function execution(bed: TemplateBed, id: string): Promise<Body> {
  const got = await bed.api('GET', `/api/executions/${id}`);
  expect(got.status, got.text).toBe(200);
  return got.body;
}

/** Creates a knowledge base with FAQ pairs through the API and waits until it is indexed (local embeddings). */
export async function faqKnowledgeBase(bed: TemplateBed, name: string, faq: { question: string; answer: string }[]): Promise<string> {
  const created = await bed.api('POST', '/api/knowledge-bases', { name });
  expect(created.status, created.text).toBe(201);
  const added = await bed.api('POST', `/api/knowledge-bases/${created.body.id}/sources`, { faq });
  expect(added.status, added.text).toBe(201);
  const sources: Body[] = await until(async () => {
    const listed = await bed.api('GET', `/api/knowledge-bases/${created.body.id}/sources`);
    return listed.body.every((s: Body) => s.status === 'ready' || s.status === 'failed') ? listed.body : undefined;
  }, `the "${name}" knowledge base to be indexed`, 180_000);
  expect(sources.map((s) => [s.status, s.error ?? null])).toEqual([['ready', null]]);
  return created.body.id;
}
