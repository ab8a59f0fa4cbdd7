import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../runtime/net/index.js';
import { startAiFake, type AiFake } from '../../ai/fake.js';
import { AI_PROVIDER_KIND } from '../../ai/_shared/presets.js';
import { createTestContext, runNode } from '../../testing.js';
import { MODERATION_CASES } from '../_shared/labelled.js';
import { moderateByExamples } from '../_shared/moderation.js';
import { localModel } from '../_shared/testing/local-model.js';
import moderation from './index.js';

/** The labelled moderation examples, through the local heuristic (real sentence model) and the fake provider. */
const model = localModel();
let fake: AiFake;
const http = createHttpClient({ allow: ['127.0.0.1'] });
beforeAll(async () => { fake = await startAiFake(); });
afterAll(async () => { await fake?.close(); http.close(); await model.close(); });

const port = (out: object) => Object.keys(out)[0];

describe('moderation on the labelled examples', () => {
  it('the local heuristic (word lists + few-shot examples) gives each its expected outcome', async () => {
    const ctx = { ...createTestContext(), knowledge: model.knowledge };
    const got: string[] = [];
    for (const c of MODERATION_CASES) got.push(`${port(await runNode(moderation, {}, { text: c.text }, ctx))}: ${c.text}`);
    expect(got).toEqual(MODERATION_CASES.map((c) => `${c.heuristic}: ${c.text}`));
  }, 120_000);

  it('the few-shot part alone catches insults without swear words and leaves angry complaints', async () => {
    const ctx = { knowledge: model.knowledge };
    expect(await moderateByExamples(ctx, 'Nobody should have to deal with a clown like you')).toMatchObject([{ rule: 'similar to harassment examples', score: expect.any(Number) }]);
    expect(await moderateByExamples(ctx, 'I am really angry that my parcel is late again')).toEqual([]);
  }, 120_000);

  it('a provider\'s /moderations gives each its expected outcome', async () => {
    const ctx = createTestContext({
      http, credentials: { provider: { id: 'cred-ai', kind: AI_PROVIDER_KIND, fields: { preset: 'custom', baseUrl: fake.url, apiKey: fake.apiKey ?? '' } } },
    });
    const got: string[] = [];
    for (const c of MODERATION_CASES) got.push(`${port(await runNode(moderation, {}, { text: c.text }, ctx))}: ${c.text}`);
    expect(got).toEqual(MODERATION_CASES.map((c) => `${c.provider}: ${c.text}`));
  });
});
