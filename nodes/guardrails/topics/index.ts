import { z } from 'zod';
import { defineNode, NonRetryableError } from '@switchyard/sdk';
import { AI_PROVIDER_KIND } from '../../ai/_shared/presets.js';
import { recordCheck } from '../_shared/decision.js';
import { guardModelShape } from '../_shared/fields.js';
import { resultJson, routeResult, textField } from '../_shared/result.js';
import { topicCheckLocal, topicCheckProvider, topicListField, topicMethodField, topicSimilarityField } from '../_shared/topics.js';

const props = z.object({
  text: textField,
  topics: topicListField,
  method: topicMethodField,
  minSimilarity: topicSimilarityField,
  ...guardModelShape,
});
export type TopicsProps = z.infer<typeof props>;

/**
 * Topic allow-list: fails a message that belongs to none of the allowed topics. Locally (no key) by
 * the similarity of the message to each topic's name and description with the built-in sentence
 * model, a heuristic; or by asking the AI provider's model to pick the topic. Emits the input plus
 * `guardrail: { check, passed, findings, topic, scores }`.
 */
export default defineNode({
  type: 'guardrails.topics',
  version: 1,
  title: 'Topic allow-list',
  category: 'Guardrails',
  description: 'Fails messages about none of your allowed topics (local similarity, or an AI provider)',
  icon: 'shield',
  props,
  credentials: { provider: { kind: AI_PROVIDER_KIND, optional: true, title: 'AI provider (for "Ask the AI provider")' } },
  ports: { in: ['main'], out: ['pass', 'fail'] },
  sideEffects: false,
  async run(ctx, input, p) {
    const started = performance.now();
    if (p.method === 'provider') {
      const credential = ctx.credentials.provider;
      if (!credential) throw new NonRetryableError('"Ask the AI provider" needs an AI provider credential: choose one, or decide locally', { code: 'credential_missing' });
      const result = await topicCheckProvider(ctx, { credential, model: p.model, timeoutMs: p.timeoutMs }, p.text, p.topics);
      await recordCheck(ctx, p.text, result.passed, [result], started);
      return routeResult(input, result.passed, { ...resultJson(result), method: 'provider', ...(result.topic ? { topic: result.topic } : {}), ...(result.cost ? result.cost : {}) });
    }
    const result = await topicCheckLocal(ctx, p.text, p.topics, p.minSimilarity);
    await recordCheck(ctx, p.text, result.passed, [result], started);
    return routeResult(input, result.passed, { ...resultJson(result), method: 'local', ...(result.topic ? { topic: result.topic } : {}), ...(result.scores ? { scores: result.scores } : {}) });
  },
});
