import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpFake, type SmtpFake } from '../../nodes/channels/email/fake-smtp.js';
import { startGraphFake, type GraphFake } from '../../nodes/channels/meta/fake.js';
import { templateBed } from '../_testing/harness.js';
import { execution, executionsOf, instagramCredential, mailsTo, META_APP_SECRET, settled, smtpCredential, until } from '../_testing/providers.js';

/**
 * Schedule an Instagram post, imported from the gallery: the call is answered at once, the execution
 * parks until the time given and publishes through the Graph fake; a failure a retry can fix is tried
 * 4 times in all before the owner is emailed (SMTP fake), one no retry can fix is not retried.
 */
const bed = templateBed();
let graph: GraphFake;
let smtp: SmtpFake;
let smtpId: string;
let flowId: string;
/** An Instagram that is down: every Graph call answers 500 with Graph's transient error. */
let outage: { url: string; mediaCalls: number; close(): Promise<void> };

async function startOutage(): Promise<typeof outage> {
  const state = { mediaCalls: 0 };
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && /\/media$/.test(req.url ?? '')) state.mediaCalls += 1;
    req.resume();
    req.on('end', () => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'An unexpected error has occurred. Please retry your request later.', type: 'OAuthException', is_transient: true, code: 2 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get mediaCalls() { return state.mediaCalls; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

beforeAll(async () => {
  [graph, smtp, outage] = await Promise.all([startGraphFake({ containerPollsUntilReady: 0 }), startSmtpFake(), startOutage()]);
  smtpId = await smtpCredential(bed, smtp);
  const imported = await bed.importTemplate('instagram-scheduled-post', { instagram: await instagramCredential(bed, graph), smtp: smtpId });
  expect(imported.unmapped).toEqual([]);
  flowId = imported.flowId;
  await bed.activate(flowId);
}, 120_000);
afterAll(async () => {
  await Promise.all([graph?.close(), smtp?.close(), outage?.close()]);
});

const schedule = (post: Record<string, unknown>) => fetch(`${bed.http.base}/hooks/instagram/schedule`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(post),
});
const mediaCreations = (url: string) => graph.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/media') && c.body?.image_url === url).length;

describe('template: Schedule an Instagram post', { timeout: 180_000 }, () => {
  it('answers 202 at once, waits until publishAt without publishing, then publishes the image with its caption', async () => {
    const publishAt = new Date(Date.now() + 12_000).toISOString();
    const answer = await schedule({ mediaUrl: 'https://cdn.example.com/summer.jpg', caption: 'Summer is here ☀️ #newin', publishAt });
    expect(answer.status).toBe(202);
    const body = await answer.json() as { scheduled: boolean; publishAt: string; executionId: string };
    expect(body).toMatchObject({ scheduled: true, publishAt });
    // Parked on the timer: nothing sent to Instagram before the time.
    await until(async () => (await execution(bed, body.executionId)).status === 'waiting', 'the execution to park');
    expect(mediaCreations('https://cdn.example.com/summer.jpg')).toBe(0);

    await until(() => graph.instagram.published.length === 1, 'the post to be published', 90_000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(publishAt));
    expect(graph.instagram.published[0]!.params).toMatchObject({ image_url: 'https://cdn.example.com/summer.jpg', caption: 'Summer is here ☀️ #newin' });
    const done = await until(async () => {
      const run = await execution(bed, body.executionId);
      return run.status === 'succeeded' ? run : undefined;
    }, 'the execution to finish');
    expect(done.steps.find((s: { nodeId: string }) => s.nodeId === 'publish').output.main).toMatchObject({ mediaId: graph.instagram.published[0]!.id, kind: 'image' });
    expect(await mailsTo(smtp, 'owner@example.com')).toEqual([]);
  });

  it('refuses a call without a valid image URL or time with a 400 saying what to send, and schedules nothing', async () => {
    const before = (await executionsOf(bed, flowId)).length;
    const answer = await schedule({ mediaUrl: 'not a url', publishAt: 'tomorrow morning' });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: { code: 'invalid_post', message: expect.stringContaining('publishAt (an ISO date and time') } });
    const all = await settled(bed, flowId, before + 1);
    expect((await execution(bed, all.at(-1)!.id)).steps.map((s: { nodeId: string }) => s.nodeId)).not.toContain('wait');
  });

  it('an image Instagram cannot process is not retried: the owner is emailed why at once', async () => {
    graph.instagram.failingMediaUrls.add('https://cdn.example.com/broken.jpg');
    const answer = await schedule({ mediaUrl: 'https://cdn.example.com/broken.jpg', caption: 'oops', publishAt: new Date(Date.now() - 1000).toISOString() });
    expect(answer.status).toBe(202);
    const mail = await until(async () => (await mailsTo(smtp, 'owner@example.com')).find((m) => m.text.includes('broken.jpg')), 'the failure email');
    expect(mail.subject).toBe('Your scheduled Instagram post was not published');
    expect(mail.text).toContain('Why: Instagram could not process the image');
    expect(mediaCreations('https://cdn.example.com/broken.jpg')).toBe(1);
    expect(graph.instagram.published).toHaveLength(1);
  });

  it('while Instagram is down it tries 4 times with growing pauses, then emails the owner', async () => {
    // The same template, bound to an Instagram account whose API is down.
    await bed.api('POST', `/api/flows/${flowId}/deactivate`);
    const down = await bed.credential('instagram-messaging', 'Instagram (down)', {
      accessToken: 'token', igAccountId: '17841400000000001', appSecret: META_APP_SECRET, baseUrl: outage.url,
    });
    const imported = await bed.importTemplate('instagram-scheduled-post', { instagram: down, smtp: smtpId });
    await bed.activate(imported.flowId);
    const started = Date.now();
    const answer = await schedule({ mediaUrl: 'https://cdn.example.com/autumn.jpg', publishAt: new Date(Date.now() - 1000).toISOString() });
    expect(answer.status).toBe(202);
    const mail = await until(async () => (await mailsTo(smtp, 'owner@example.com')).find((m) => m.text.includes('autumn.jpg')), 'the failure email', 120_000);
    expect(mail.text).toContain('Why: Instagram error 2 (HTTP 500)');
    expect(outage.mediaCalls).toBe(4);
    // Backoff: 2 s, 4 s, 8 s between the tries (±20% jitter), so at least ~11 s in all.
    expect(Date.now() - started).toBeGreaterThanOrEqual(11_000);
    const [run] = await settled(bed, imported.flowId, 1);
    const tries = (await execution(bed, run.id)).steps.filter((s: { nodeId: string }) => s.nodeId === 'publish');
    expect(tries.map((s: { status: string; attempt: number }) => [s.status, s.attempt])).toEqual([['failed', 1], ['failed', 2], ['failed', 3], ['failed', 4]]);
    expect(run.status).toBe('succeeded');
  });
});
