import { z } from 'zod';
import { defineNode, isJsonObject, NodeError, ui, type Json } from '@switchyard/sdk';
import { askModel, combineCalls } from '../_shared/ask.js';
import type { ChatRequest } from '../_shared/chain.js';
import { chainEntries, chainSchema, modelSettingsShape, providerCredentials, settingsOf } from '../_shared/node-props.js';
import { askStructured, outputSchema, STRUCTURED_MODE_HELP, STRUCTURED_MODE_LABELS, STRUCTURED_MODES } from '../_shared/structured.js';

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
  ...modelSettingsShape,
});
export type ChatProps = z.infer<typeof chatProps>;

/**
 * AI Chat: a system prompt, memory and the user's prompt to the first model of the fallback chain
 * that answers; optionally a JSON answer checked against a schema (one repair). The step records
 * every attempt, the tokens and the cost (docs/ai.md).
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
    const cacheTtlMs = props.cacheTtlSeconds * 1000;
    if (props.output === 'json') {
      const structured = await askStructured(ctx, entries, request, outputSchema(props.jsonSchema, '"JSON Schema"'), props.structuredMode, { cacheTtlMs });
      const last = structured.calls[structured.calls.length - 1]!;
      const { attempts, usage, cached } = combineCalls(structured.calls);
      const main: Json = { json: structured.value, text: structured.raw, repaired: structured.repaired, model: last.answer.model, provider: last.answer.provider, finishReason: last.answer.finishReason, usage, attempts, cached };
      return { main };
    }
    const call = await askModel(ctx, entries, request, { cacheTtlMs });
    if (call.answer.content === null) throw new NodeError(`${call.answer.provider} (${call.answer.model}) answered with no text (finish reason ${call.answer.finishReason})`, { code: 'empty_answer' });
    const { attempts, usage, cached } = combineCalls([call]);
    const main: Json = { text: call.answer.content, model: call.answer.model, provider: call.answer.provider, finishReason: call.answer.finishReason, usage, attempts, cached };
    return { main };
  },
});
