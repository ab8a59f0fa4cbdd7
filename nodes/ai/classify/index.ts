import { z } from 'zod';
import { defineNode, isJsonObject, ui, type Json } from '@switchyard/sdk';
import { combineCalls } from '../_shared/ask.js';
import { jsonValueProbability, statedConfidence, withLogprobs } from '../_shared/confidence.js';
import { chainEntries, chainSchema, modelSettingsShape, providerCredentials, settingsOf } from '../_shared/node-props.js';
import { askStructured, outputSchema, STRUCTURED_MODE_HELP, STRUCTURED_MODE_LABELS, STRUCTURED_MODES } from '../_shared/structured.js';

/** Outputs a label may not be called: the node's own, and the one `onError: route` adds. */
const RESERVED_PORTS = new Set(['other', 'error']);

const label = z.object({
  /** The output port and the answer the model gives: known when the flow is saved, so not an expression. */
  id: ui(z.string().trim().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'use lowercase letters, digits, - and _ (up to 40), like refund or sales-lead'), {
    title: 'Label', description: 'The output this category continues on', placeholder: 'refund', expression: false,
  }),
  /** Default: the label. */
  title: ui(z.string().trim().max(80).optional(), { title: 'Title', description: 'Shown on the output; defaults to the label' }),
  description: ui(z.string().trim().min(1, 'describe when a message belongs here').max(1000), {
    title: 'Description', description: 'When a message belongs here, in plain words: the model reads it', widget: 'textarea',
  }),
});

export const classifyProps = z.object({
  chain: chainSchema,
  /** Default: `{{ $json.text }}`. */
  text: ui(z.string().max(100_000).default('{{ $json.text }}'), { title: 'Text', description: 'What to classify', widget: 'textarea' }),
  /** One output per label, in this order, then `other`. Named `choices` as every node with per-item outputs. */
  choices: ui(z.array(label).min(1, 'add at least one label').max(30).default([
    { id: 'question', description: 'The person asks something about a product, an order or the business' },
    { id: 'complaint', description: 'The person is unhappy about something that happened' },
  ]).superRefine((labels, ctx) => {
    const seen = new Set<string>();
    labels.forEach((l, index) => {
      if (RESERVED_PORTS.has(l.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `"${l.id}" is reserved; pick another label` });
      else if (seen.has(l.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `label "${l.id}" is used twice` });
      seen.add(l.id);
    });
  }), { title: 'Labels', description: 'One output per label, then "other" for everything else' }),
  /** Default: 0.5. */
  threshold: ui(z.number().min(0).max(1).default(0.5), {
    title: 'Minimum confidence', description: 'Below this (0–1) the message goes to "other"; at or above it, to the label',
  }),
  /** Default: 'auto'. */
  confidenceMethod: ui(z.enum(['auto', 'self-assessed']).default('auto'), {
    title: 'Confidence from', group: 'Model', expression: false,
    description: 'A heuristic, not a calibrated probability. Auto: the probability the model gave the chosen label\'s tokens (log-probabilities), or the model\'s own rating where the provider returns none',
    enumLabels: { auto: 'Label token probability, else the model\'s own rating', 'self-assessed': 'The model\'s own rating' },
  }),
  /** Default: none. */
  instructions: ui(z.string().max(20_000).default(''), { title: 'Extra instructions', description: 'Added to what the model is told', widget: 'textarea', group: 'Model' }),
  /** Default: 'json_schema'. */
  structuredMode: ui(z.enum(STRUCTURED_MODES).default('json_schema'), { title: 'How to ask for JSON', description: STRUCTURED_MODE_HELP, enumLabels: STRUCTURED_MODE_LABELS, group: 'Model' }),
  ...modelSettingsShape,
});
type ClassifyProps = z.infer<typeof classifyProps>;

function answerSchema(props: ClassifyProps): Record<string, Json> {
  return {
    type: 'object',
    properties: {
      label: { type: 'string', enum: [...props.choices.map((l) => l.id), 'other'] },
      confidence: { type: 'number', minimum: 0, maximum: 1 },
      reason: { type: 'string' },
    },
    required: ['label', 'confidence'],
  };
}

function systemPrompt(props: ClassifyProps): string {
  const lines = props.choices.map((l) => `- ${l.id}: ${l.description}`);
  return [
    'You sort messages into exactly one category.',
    'Categories:', ...lines, '- other: none of the above',
    'Give the category id as "label", how sure you are from 0 to 1 as "confidence", and one short sentence as "reason".',
    props.instructions.trim(),
  ].filter(Boolean).join('\n');
}

/**
 * Classify: the model picks one label for the text with a confidence; the message leaves on that
 * label's output, or on `other` when the model says other or is less sure than the threshold. The
 * confidence is the probability of the label's tokens where the provider returns log-probabilities,
 * else the model's stated one (decision 040); `confidence` is also on the output's top level.
 */
export default defineNode({
  type: 'ai.classify',
  version: 1,
  title: 'AI Classify',
  category: 'AI',
  description: 'Sort a message into one of your labels (one output each, plus other) with a confidence',
  icon: 'split',
  props: classifyProps,
  credentials: providerCredentials,
  ports: { in: ['main'], out: (props: ClassifyProps) => [...props.choices.map((l) => l.id), 'other'] },
  async run(ctx, input, props) {
    const entries = chainEntries(ctx.credentials, props.chain);
    const request = {
      messages: [{ role: 'system' as const, content: systemPrompt(props) }, { role: 'user' as const, content: props.text }],
      ...settingsOf(props), temperature: props.temperature ?? 0,
    };
    const schema = outputSchema(answerSchema(props), 'the label schema');
    const structured = await withLogprobs(props.confidenceMethod === 'auto', (logprobs) =>
      askStructured(ctx, entries, { ...request, ...(logprobs ? { logprobs } : {}) }, schema, props.structuredMode, { cacheTtlMs: props.cacheTtlSeconds * 1000 }));
    const answer = isJsonObject(structured.value) ? structured.value : {};
    const modelLabel = typeof answer.label === 'string' ? answer.label : 'other';
    const selfAssessed = statedConfidence(answer.confidence);
    // The label's own tokens: how sure the model was when it wrote the label, not what it says it was.
    const fromLogprobs = jsonValueProbability(structured.calls.at(-1)?.answer.logprobs, 'label', modelLabel);
    const confidence = fromLogprobs ?? selfAssessed;
    const confidenceSource = fromLogprobs === undefined ? 'self-assessed' : 'logprobs';
    const port = modelLabel !== 'other' && confidence >= props.threshold ? modelLabel : 'other';
    const { attempts, usage, cached } = combineCalls(structured.calls);
    const classification: Json = {
      label: port, modelLabel, confidence, confidenceSource, selfAssessedConfidence: selfAssessed, ...(typeof answer.reason === 'string' ? { reason: answer.reason } : {}),
      belowThreshold: modelLabel !== 'other' && confidence < props.threshold,
    };
    // The input passes on with the classification beside it, so later steps still have the message.
    const base = isJsonObject(input) ? input : { input };
    return { [port]: { ...base, classification, confidence, confidenceSource, usage, attempts, cached } };
  },
});
