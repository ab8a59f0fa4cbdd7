import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../runtime/net/index.js';
import { startAiFake, type AiFake } from '../../ai/fake.js';
import { AI_PROVIDER_KIND } from '../../ai/_shared/presets.js';
import { createTestContext, runNode } from '../../testing.js';
import moderation from './index.js';

let fake: AiFake;
beforeAll(async () => { fake = await startAiFake(); });
afterAll(async () => { await fake?.close(); });

function withProvider() {
  return createTestContext({
    http: createHttpClient({ allow: ['127.0.0.1'] }),
    credentials: { provider: { id: 'cred-ai', kind: AI_PROVIDER_KIND, fields: { preset: 'custom', baseUrl: fake.url, apiKey: fake.apiKey ?? '' } } },
  });
}

describe('guardrails.moderation', () => {
  it('without a provider, runs the local heuristic and says so: profanity (look-alikes too), threats, self-harm', async () => {
    expect(await runNode(moderation, {}, { text: 'Thanks, the parcel arrived!' })).toMatchObject({ pass: { guardrail: { source: 'heuristic', passed: true, findings: [] } } });
    expect(await runNode(moderation, {}, { text: 'this is sh1t service' })).toMatchObject({ fail: { guardrail: { source: 'heuristic', findings: [{ rule: 'profanity', start: 8, end: 12 }] } } });
    expect(await runNode(moderation, {}, { text: 'I will k1ll you' })).toMatchObject({ fail: { guardrail: { findings: [{ rule: 'threat' }] } } });
    expect(await runNode(moderation, {}, { text: 'I want to end my life' })).toMatchObject({ fail: { guardrail: { findings: [{ rule: 'self-harm' }] } } });
  });

  it('with a provider, asks its /moderations through the official SDK and applies the thresholds', async () => {
    const before = fake.requests.length;
    expect(await runNode(moderation, {}, { text: 'you idiot' }, withProvider())).toMatchObject({
      fail: { guardrail: { source: 'provider', model: 'omni-moderation-latest', findings: [{ rule: 'harassment', score: 0.93 }] } },
    });
    expect(fake.requests.slice(before).map((r) => r.path)).toEqual(['/moderations']);
    // A looser threshold for the category lets the same text through; the fake scores harassment 0.93.
    expect(await runNode(moderation, {}, { text: 'you idiot', categoryThresholds: [{ category: 'harassment', threshold: 0.95 }] }, withProvider())).toMatchObject({ pass: {} });
  });

  it('fails closed when the provider is down: a step error without the key, never a pass', async () => {
    fake.scriptPath('/moderations', { kind: 'status', status: 500 });
    const error = await runNode(moderation, {}, { text: 'hello' }, withProvider()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'moderation_failed', message: expect.stringMatching(/^moderation provider failed: /) });
    expect(String((error as Error).message)).not.toContain(fake.apiKey ?? 'sk-');
  });
});
