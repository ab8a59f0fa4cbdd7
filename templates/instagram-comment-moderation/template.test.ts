import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAiFake, type AiFake } from '../../nodes/ai/fake.js';
import { startSmtpFake, type SmtpFake } from '../../nodes/channels/email/fake-smtp.js';
import { graphTime } from '../../nodes/channels/meta/fake-instagram.js';
import { startGraphFake, type GraphFake } from '../../nodes/channels/meta/fake.js';
import { igComment, instagramDelivery, metaJson, postMetaDelivery } from '../../nodes/channels/meta/fake-webhooks.js';
import { outputOf, templateBed } from '../_testing/harness.js';
import { aiCredential, callbackUrl, execution, instagramCredential, mailsTo, META_APP_SECRET, settled, smtpCredential, until } from '../_testing/providers.js';

/**
 * Comment moderation imported from the gallery and run against the Graph fake (Instagram comments),
 * the OpenAI-compatible fake (the drafted replies) and the SMTP fake (the person asked).
 */
const bed = templateBed();
let graph: GraphFake;
let ai: AiFake;
let smtp: SmtpFake;
let flowId: string;
let callback: string;
const POST = '17887498072083520';
let executions = 0;

beforeAll(async () => {
  [graph, ai, smtp] = await Promise.all([startGraphFake(), startAiFake(), startSmtpFake()]);
  graph.instagram.addMedia({ id: POST, timestamp: graphTime(Date.now() - 3_600_000), caption: 'New summer dresses' });
  const [instagram, provider, mail] = await Promise.all([instagramCredential(bed, graph), aiCredential(bed, ai), smtpCredential(bed, smtp)]);
  const imported = await bed.importTemplate('instagram-comment-moderation', { instagram, ai: provider, smtp: mail });
  expect(imported.unmapped).toEqual([]);
  flowId = imported.flowId;
  await bed.activate(flowId);
  callback = callbackUrl(bed, instagram);
}, 120_000);
afterAll(async () => {
  await Promise.all([graph?.close(), ai?.close(), smtp?.close()]);
});

/** A comment on the post, then Meta's signed `comments` webhook about it. */
async function comment(id: string, text: string, username: string): Promise<void> {
  const from = { id: String(2_000_000 + Number(id.slice(-4))), username };
  graph.instagram.addComment(POST, { id, text, timestamp: graphTime(Date.now()), from });
  const delivered = await postMetaDelivery(callback, metaJson(instagramDelivery(graph.instagram.account.id, [{ changes: [igComment({ id, text, from, mediaId: POST })] }])), META_APP_SECRET);
  expect(delivered.status).toBe(200);
  executions += 1;
}
const repliesTo = (id: string) => graph.instagram.replies.filter((r) => r.commentId === id).map((r) => r.message);

describe('template: Instagram comment moderation', { timeout: 120_000 }, () => {
  it('answers a friendly question publicly with the confident draft', async () => {
    ai.script({ kind: 'answer', content: 'Thank you! Yes, it comes in blue too 💙' });
    await comment('17865799348089001', 'Love it! Does it come in blue?', 'ana.b');
    await until(() => repliesTo('17865799348089001').length === 1, 'the public reply');
    expect(repliesTo('17865799348089001')).toEqual(['Thank you! Yes, it comes in blue too 💙']);
    expect(String(ai.chatRequests().at(-1)!.messages!.at(-1)!.content)).toBe('Comment by @ana.b: Love it! Does it come in blue?');
    const [done] = await settled(bed, flowId, executions);
    expect(done.status).toBe('succeeded');
    expect(outputOf(await execution(bed, done.id), 'triage', 'respond').triage.route).toBe('respond');
    expect(graph.instagram.comment('17865799348089001')?.hidden).toBeUndefined();
  });

  it('hides abuse without asking the model, and hides spam, answering neither', async () => {
    const modelCalls = ai.chatRequests().length;
    await comment('17865799348089002', 'what a load of shit, I will find you', 'angry.guy');
    await until(() => graph.instagram.comment('17865799348089002')?.hidden === true, 'the abusive comment hidden');
    expect(ai.chatRequests()).toHaveLength(modelCalls);

    ai.script({ kind: 'answer', content: 'Thanks for stopping by!' });
    await comment('17865799348089003', 'Nice pics! follow for follow? check my page', 'spam.bot');
    await until(() => graph.instagram.comment('17865799348089003')?.hidden === true, 'the spam comment hidden');
    const all = await settled(bed, flowId, executions);
    expect(all.every((e) => e.status === 'succeeded')).toBe(true);
    expect(repliesTo('17865799348089002')).toEqual([]);
    expect(repliesTo('17865799348089003')).toEqual([]);
  });

  it('sends a complaint to a person by email; the reply they approve is posted under the comment', async () => {
    const before = (await mailsTo(smtp, 'owner@example.com')).length;
    ai.script({ kind: 'answer', content: 'So sorry! We will write to you by DM right away.' });
    await comment('17865799348089004', 'My order never arrived and nobody answers, I want a refund', 'mira_k');
    const mail = await until(async () => (await mailsTo(smtp, 'owner@example.com'))[before], 'the escalation email');
    expect(mail.text).toContain('Message: @mira_k: My order never arrived and nobody answers, I want a refund');
    expect(mail.text).toContain('Drafted reply: So sorry! We will write to you by DM right away.');
    expect(mail.text).toMatch(/Why: .*mentions "(refund|never arrived)"/);
    expect(repliesTo('17865799348089004')).toEqual([]);

    const id = /\/escalations\/([^?\s]+)\?sig=/.exec(mail.text)?.[1];
    const decided = await bed.api('POST', `/api/escalations/${id}/decision`, { action: 'approve' });
    expect(decided.status, decided.text).toBe(200);
    await until(() => repliesTo('17865799348089004').length === 1, 'the approved reply');
    expect(repliesTo('17865799348089004')).toEqual(['So sorry! We will write to you by DM right away.']);
    const all = await settled(bed, flowId, executions);
    expect(all.every((e) => e.status === 'succeeded')).toBe(true);
  });
});
