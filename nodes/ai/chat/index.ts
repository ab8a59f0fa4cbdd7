import { z } from 'zod';
import { defineNode, isJsonObject, NodeError, ui, type Json } from '@switchyard/sdk';
import { combineCalls } from '../_shared/ask.js';
import type { ChatRequest } from '../_shared/chain.js';
import { askWithConfidence, confidenceJson, confidenceMethodField } from '../_shared/confidence.js';
import { chainEntries, chainSchema, modelSettingsShape, providerCredentials, settingsOf } from '../_shared/node-props.js';
import { outputSchema, STRUCTURED_MODE_HELP, STRUCTURED_MODE_LABELS, STRUCTURED_MODES } from '../_shared/structured.js';

const turnSchema = z.object({
  role: ui(z.enum(['user', 'assistant', 'system']), { title: 'Role', description: 'Who said it', enumLabels: { user: 'The person', assistant: 'The assistant', system: 'System instruction' } }),
  content: ui(z.string(), { title: 'Text', description: 'What was said', widget: 'textarea' }),
});

/** The Conversation history node's whole output (`{ messages, count }`) is taken for its `messages`. */
const memorySchema = z.preprocess(
  (value) => (isJsonObject(value as Json) && Array.isArray((value as { messages?: unknown }).messages) ? (value as { messages: unknown }).messages : value),
  z.array(turnSchema).max(500),
);

const DEFAULT_SCHEMA = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };

export const chatProps = z.object({
  chain: chainSchema,
  /** Default: none. */
  system: ui(z.string().max(100_000).default(''), {
    title: 'System prompt', description: 'Who the assistant is and how it answers, e.g. "You answer for Acme\'s support, in one short paragraph"', widget: 'textarea',
  }),
  /** Default: `{{ $json.text }}` (a channel trigger's message). */
  prompt: ui(z.string().min(1, 'write the prompt').max(200_000).default('{{ $json.text }}'), {
    title: 'Prompt', description: 'The user\'s message; expressions such as {{ $json.text }} are filled in', widget: 'textarea',
  }),
  /** Default: none. */
  memory: ui(memorySchema.default([]), {
    title: 'Memory', widget: 'json',
    description: 'Earlier turns, oldest first: {{ $node["history"].json.messages }} from a Conversation history node, or a list of { role, content }',
  }),
  /** Default: 'text'. */
  output: ui(z.enum(['text', 'json']).default('text'), {
    title: 'Answer as', description: 'Text, or a JSON value checked against the schema below', enumLabels: { text: 'Text', json: 'JSON matching a schema' }, group: 'Structured output',
  }),
  /** Default: `{ answer: string }`. */
  jsonSchema: ui(z.record(z.string(), z.json()).default(DEFAULT_SCHEMA), {
    title: 'JSON Schema', description: 'The shape of the answer when "Answer as" is JSON; checked on return', widget: 'json', group: 'Structured output', expression: false,
  }),
  /** Default: 'json_schema'. */
  structuredMode: ui(z.enum(STRUCTURED_MODES).default('json_schema'), {
    title: 'How to ask for JSON', description: STRUCTURED_MODE_HELP, enumLabels: STRUCTURED_MODE_LABELS, group: 'Structured output',
  }),
  confidenceMethod: confidenceMethodField,
  ...modelSettingsShape,
});
export type ChatProps = z.infer<typeof chatProps>;

/**
 * AI Chat: a system prompt, memory and the user's prompt to the first model of the fallback chain
 * that answers; optionally a JSON answer checked against a schema (one repair); a `confidence` 0–1
 * with its `confidenceSource` (decision 040). The step records every attempt, the tokens and the
 * cost (docs/ai.md).
 */
export default defineNode({
  type: 'ai.chat',
  version: 1,
  title: 'AI Chat',
  category: 'AI',
  description: 'Ask a language model, with memory, a fallback chain of providers and optional JSON output',
  icon: 'bot',
  props: chatProps,
  credentials: providerCredentials,
  ports: { in: ['main'], out: ['main'] },
  literalProps: ['jsonSchema'],
  async run(ctx, _input, props) {
    const entries = chainEntries(ctx.credentials, props.chain);
    const messages: ChatRequest['messages'] = [
      ...(props.system.trim() ? [{ role: 'system' as const, content: props.system }] : []),
      ...props.memory.map((turn) => ({ role: turn.role, content: turn.content })),
      { role: 'user', content: props.prompt },
    ];
    const request: ChatRequest = { messages, ...settingsOf(props) };
    const output = props.output === 'json' ? outputSchema(props.jsonSchema, '"JSON Schema"') : undefined;
    const answered = await askWithConfidence(ctx, entries, request, {
      method: props.confidenceMethod, structuredMode: props.structuredMode, cacheTtlMs: props.cacheTtlSeconds * 1000, ...(output ? { output } : {}),
    });
    // The answer is the first call's (or the repair's); a rating call after it only adds a confidence.
    const last = answered.calls[answered.repaired ? 1 : 0]!;
    if (answered.text === null) throw new NodeError(`${last.answer.provider} (${last.answer.model}) answered with no text (finish reason ${last.answer.finishReason})`, { code: 'empty_answer' });
    const { attempts, usage, cached } = combineCalls(answered.calls);
    const meta = { model: last.answer.model, provider: last.answer.provider, finishReason: last.answer.finishReason, ...confidenceJson(answered.confidence), usage, attempts, cached };
    const main: Json = output
      ? { json: answered.value ?? null, text: answered.text, repaired: answered.repaired, ...meta }
      : { text: answered.text, ...meta };
    return { main };
  },
});
