import { z } from 'zod';
import { defineNode, NodeError, ui } from '@switchyard/sdk';
import { combineCalls } from '../_shared/ask.js';
import { askWithConfidence, confidenceJson, confidenceMethodField } from '../_shared/confidence.js';
import { chainEntries, chainSchema, modelSettingsShape, providerCredentials, settingsOf } from '../_shared/node-props.js';
import { citationLabel, contextText, hitJson, knowledgeShape, searchKnowledge } from '../knowledge-search/search.js';

const DEFAULT_FALLBACK = "Sorry, I don't know that yet. A person from our team will get back to you.";

export const answerFromKnowledgeProps = z.object({
  /** Default: `{{ $json.text }}` (a channel trigger's message). */
  question: ui(z.string().max(2000).default('{{ $json.text }}'), { title: 'Question', description: 'The customer\'s message, e.g. {{ $json.text }}' }),
  ...knowledgeShape,
  /** Default: a polite "I don't know" that promises a person. */
  fallbackAnswer: ui(z.string().trim().min(1, 'write what to answer when the knowledge base has nothing').max(2000).default(DEFAULT_FALLBACK), {
    title: 'When nothing is found, answer', widget: 'textarea',
    description: 'Sent as is (no model call) when no chunk reaches the minimum similarity, and asked of the model when the chunks do not hold the answer',
  }),
  /** Default: none. */
  instructions: ui(z.string().max(20_000).default(''), {
    title: 'Extra instructions', description: 'Added to the model\'s instructions: tone, length, language', widget: 'textarea', placeholder: 'Answer in two sentences at most, in the customer\'s language', group: 'Model',
  }),
  chain: chainSchema,
  confidenceMethod: confidenceMethodField,
  ...modelSettingsShape,
});

/** The model's instructions: answer from the numbered context only, cite it, else say the fallback words. */
function systemPrompt(fallback: string, instructions: string): string {
  return [
    'You answer customers using only the numbered context passages the user message gives you.',
    'Cite the passages you used as [1], [2] after the sentence that uses them.',
    `If the context does not contain the answer, reply with exactly this and nothing else: ${fallback}`,
    'Never invent prices, dates, policies or contact details that the context does not state.',
    instructions.trim(),
  ].filter(Boolean).join('\n');
}

/** The passage numbers an answer cites, in order of first use. */
function citedNumbers(answer: string, count: number): number[] {
  const seen = new Set<number>();
  for (const m of answer.matchAll(/\[(\d{1,2})\]/g)) {
    const n = Number(m[1]);
    if (n >= 1 && n <= count) seen.add(n);
  }
  return [...seen];
}

/**
 * Answer from knowledge: searches a knowledge base for the question, then asks the model (AI Chat's
 * fallback chain) to answer from the chunks with citations. Nothing reaching the minimum similarity
 * answers the configured words on `unanswered` without calling a model; so does a model that says it
 * cannot answer from the chunks. An answer carries a `confidence` (decision 040); an unanswered
 * question has confidence 0.
 */
export default defineNode({
  type: 'ai.answer-from-knowledge',
  version: 1,
  title: 'Answer from knowledge',
  category: 'AI',
  description: 'Answer a question from a knowledge base with citations, or say you don\'t know',
  icon: 'bot',
  props: answerFromKnowledgeProps,
  credentials: providerCredentials,
  ports: { in: ['main'], out: ['main', 'unanswered'] },
  async run(ctx, _input, props) {
    const hits = await searchKnowledge(ctx, props, props.question);
    const sources = hits.map((hit, i) => hitJson(hit, i + 1));
    if (hits.length === 0) {
      // Nothing retrieved: the search itself says there is no answer here.
      return { unanswered: { answer: props.fallbackAnswer, answered: false, reason: 'no_match', confidence: 0, confidenceSource: 'retrieval', question: props.question, sources } };
    }
    const entries = chainEntries(ctx.credentials, props.chain);
    const answered = await askWithConfidence(ctx, entries, {
      messages: [
        { role: 'system', content: systemPrompt(props.fallbackAnswer, props.instructions) },
        { role: 'user', content: `Context:\n${contextText(hits)}\n\nQuestion: ${props.question}` },
      ],
      ...settingsOf(props),
    }, { method: props.confidenceMethod, structuredMode: 'json_schema', cacheTtlMs: props.cacheTtlSeconds * 1000 });
    const first = answered.calls[answered.repaired ? 1 : 0]!;
    const answer = answered.text?.trim();
    if (!answer) throw new NodeError(`${first.answer.provider} (${first.answer.model}) answered with no text`, { code: 'empty_answer' });
    const { attempts, usage, cached } = combineCalls(answered.calls);
    const meta = { model: first.answer.model, provider: first.answer.provider, usage, attempts, cached };
    if (answer === props.fallbackAnswer || answer.includes(props.fallbackAnswer)) {
      // The model read the chunks and found no answer: nothing to be confident about.
      return { unanswered: { answer: props.fallbackAnswer, answered: false, reason: 'model_declined', confidence: 0, confidenceSource: answered.confidence?.source ?? 'self-assessed', question: props.question, sources, ...meta } };
    }
    const cited = citedNumbers(answer, hits.length);
    return {
      main: {
        answer, answered: true, question: props.question,
        citations: cited.map((n) => ({ n, label: citationLabel(hits[n - 1]!), source: sources[n - 1]! })),
        sources, ...confidenceJson(answered.confidence), ...meta,
      },
    };
  },
});

