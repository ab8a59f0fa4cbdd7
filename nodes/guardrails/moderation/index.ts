import { z } from 'zod';
import { defineNode, NodeError, ui } from '@switchyard/sdk';
import { createAiClient, endpointFromCredential, withoutKey } from '../../ai/_shared/client.js';
import { AI_PROVIDER_KIND } from '../../ai/_shared/presets.js';
import { MODERATION_CATEGORIES, moderateHeuristically, moderateWithProvider } from '../_shared/moderation.js';
import { recordCheck } from '../_shared/decision.js';
import { overLimit, routeResult, textField } from '../_shared/result.js';

const props = z.object({
  text: textField,
  /** Default: 'omni-moderation-latest'. */
  model: ui(z.string().trim().min(1).default('omni-moderation-latest'), {
    title: 'Moderation model', description: 'Used when a provider is set; without one, the local heuristic runs (word lists and few-shot examples)', group: 'Provider',
  }),
  /** Default: 0.5. */
  threshold: ui(z.number().min(0).max(1).default(0.5), {
    title: 'Fail at or above', expression: false,
    description: 'A category scoring this much or more fails the message (provider scores are 0–1; the heuristic\'s word lists score 0.85–0.9, its few-shot part the toxic share of the 3 nearest examples)',
  }),
  /** Default: true. */
  fewShot: ui(z.boolean().default(true), {
    title: 'Heuristic: also compare with examples', expression: false,
    description: 'Without a provider: besides the word lists, fail messages most similar to shipped toxic examples rather than benign ones (local sentence model; a heuristic, catches insults without swear words)',
  }),
  /** Default: none. */
  categoryThresholds: ui(z.array(z.object({
    category: ui(z.enum(MODERATION_CATEGORIES), {
      title: 'Category', description: 'A provider moderation category', expression: false,
      enumLabels: Object.fromEntries(MODERATION_CATEGORIES.map((c) => [c, c.replace('/', ': ').replace(/^./, (l) => l.toUpperCase())])),
    }),
    threshold: ui(z.number().min(0).max(1), { title: 'Fail at or above', description: 'This category\'s own threshold', expression: false }),
  })).default([]), { title: 'Per-category thresholds', description: 'Stricter or looser limits for some categories (provider only)', group: 'Provider', expression: false }),
  /** Default: 30 000 ms. */
  timeoutMs: ui(z.number().int().min(1_000).max(120_000).default(30_000), { title: 'Timeout (ms)', description: 'How long the provider may take', group: 'Provider', expression: false }),
});

export type ModerationProps = z.infer<typeof props>;

/**
 * Content moderation: a provider's `/moderations` endpoint when the node has an AI provider
 * credential, otherwise the local heuristic. A provider that fails is a step error (the node's
 * on-error setting decides; by default the flow stops): a message is never passed because the
 * check could not run.
 */
export default defineNode({
  type: 'guardrails.moderation',
  version: 1,
  title: 'Moderation',
  category: 'Guardrails',
  description: 'Fails harassment, hate, violence, sexual and self-harm content (a provider\'s moderation model, or a local heuristic without one)',
  icon: 'shield',
  props,
  credentials: { provider: { kind: AI_PROVIDER_KIND, optional: true, title: 'Moderation provider (optional)' } },
  ports: { in: ['main'], out: ['pass', 'fail'] },
  sideEffects: false,
  async run(ctx, input, p) {
    const started = performance.now();
    const over = overLimit('moderation', p.text);
    if (over) {
      await recordCheck(ctx, p.text, false, [over], started);
      return routeResult(input, false, { check: 'moderation', passed: false, findings: [], reason: over.reason ?? '' });
    }
    const credential = ctx.credentials.provider;
    if (!credential) {
      const heuristic = await moderateHeuristically(ctx, p.text, p.fewShot);
      const findings = heuristic.findings.filter((f) => f.score >= p.threshold);
      await recordCheck(ctx, p.text, findings.length === 0, [{ check: 'moderation', passed: findings.length === 0, findings: findings.map((f) => ({ ...f })) }], started);
      return routeResult(input, findings.length === 0, { check: 'moderation', source: 'heuristic', methods: heuristic.methods, passed: findings.length === 0, findings: findings.map((f) => ({ ...f })) });
    }
    const endpoint = endpointFromCredential(credential);
    const overrides = new Map(p.categoryThresholds.map((c) => [c.category, c.threshold] as const));
    try {
      const findings = await moderateWithProvider(createAiClient(endpoint, ctx.http, p.timeoutMs), p.model, p.text, p.threshold, overrides, ctx.signal);
      await recordCheck(ctx, p.text, findings.length === 0, [{ check: 'moderation', passed: findings.length === 0, findings: findings.map((f) => ({ ...f })) }], started);
      return routeResult(input, findings.length === 0, { check: 'moderation', source: 'provider', model: p.model, passed: findings.length === 0, findings: findings.map((f) => ({ ...f })) });
    } catch (error) {
      // Retryable (a provider outage passes); the key never reaches the message.
      throw new NodeError(`moderation provider failed: ${withoutKey(error instanceof Error ? error.message : String(error), endpoint)}`, { code: 'moderation_failed', cause: error });
    }
  },
});
