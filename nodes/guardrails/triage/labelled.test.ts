import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../runtime/net/index.js';
import chat from '../../ai/chat/index.js';
import { startAiFake, type AiFake } from '../../ai/fake.js';
import type { providerCredentials } from '../../ai/_shared/node-props.js';
import { AI_PROVIDER_KIND } from '../../ai/_shared/presets.js';
import { createTestContext, runNode } from '../../testing.js';
import { TRIAGE_CASES } from '../_shared/labelled.js';
import { localModel } from '../_shared/testing/local-model.js';
import moderation from '../moderation/index.js';
import triage from './index.js';

/**
 * The labelled triage examples through the seed's pipeline: the moderation heuristic (real local
 * model), an AI Chat draft from the fake provider (its token probabilities scripted per case, so its
 * confidence comes from logprobs), then Triage with the default rules.
 */
const model = localModel();
let fake: AiFake;
const http = createHttpClient({ allow: ['127.0.0.1'] });
beforeAll(async () => { fake = await startAiFake(); });
afterAll(async () => { await fake?.close(); http.close(); await model.close(); });

describe('triage on the labelled examples', () => {
  it('routes each to its expected port', async () => {
    const moderationCtx = { ...createTestContext(), knowledge: model.knowledge };
    const chatCtx = createTestContext<typeof providerCredentials>({
      http, credentials: { provider: { id: 'cred-ai', kind: AI_PROVIDER_KIND, fields: { preset: 'custom', baseUrl: fake.url, apiKey: fake.apiKey ?? '' } } },
    });
    const got: string[] = [];
    for (const c of TRIAGE_CASES) {
      const checked = await runNode(moderation, { text: c.text }, { text: c.text }, moderationCtx);
      fake.script({ kind: 'answer', content: 'Thanks for your message, here is what we can do.', tokenLogprob: Math.log(c.draftTokenProbability ?? 1) });
      const drafted = await runNode(chat, {}, { chain: [{ credential: 'provider', model: 'fake-chat', timeoutMs: 5000 }], prompt: c.text }, chatCtx) as { main: { confidence: number } };
      const routed = await runNode(triage, {}, { text: c.text, guardrailsPassed: 'pass' in checked, confidence: drafted.main.confidence });
      got.push(`${Object.keys(routed)[0]}: ${c.text}`);
    }
    expect(got).toEqual(TRIAGE_CASES.map((c) => `${c.expected}: ${c.text}`));
  }, 120_000);
});
