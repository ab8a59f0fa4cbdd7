import { z } from 'zod';
import { isJsonObject, ui, type Json } from '@switchyard/sdk';
import { chainSchema, modelSettingsShape } from '../_shared/node-props.js';

export const TOOL_KINDS = ['knowledge', 'http', 'flow', 'channel'] as const;
export type ToolKind = (typeof TOOL_KINDS)[number];

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** A host the HTTP tool may call: `api.example.com`, or `*.example.com` for its subdomains. */
const HOST_PATTERN = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;

/**
 * One tool of the agent, as the node's form holds it: a kind and the fields that kind reads (the
 * others are ignored). The model sees `name` and `description`; say when to use it.
 */
export const toolSchema = z.object({
  kind: ui(z.enum(TOOL_KINDS), {
    title: 'Kind', description: 'What the tool does when the model calls it', expression: false,
    enumLabels: { knowledge: 'Search a knowledge base', http: 'HTTP request', flow: 'Run another flow', channel: 'Send a message on a channel' },
  }),
  name: ui(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a tool name is 1–64 letters, digits, _ or -'), {
    title: 'Name', description: 'How the model calls it, e.g. search_faq, check_order', expression: false,
  }),
  description: ui(z.string().trim().min(1, 'say what the tool does').max(2000), {
    title: 'Description', description: 'When the model should use it and what it returns', widget: 'textarea',
  }),
  /** `knowledge`: the base's name or id. */
  knowledgeBase: ui(z.string().trim().optional(), { title: 'Knowledge base', description: 'Search a knowledge base: its name or id as on the Knowledge page', expression: false }),
  /** `knowledge`: chunks per search. Default: 5. */
  k: ui(z.number().int().min(1).max(20).default(5), { title: 'Chunks', description: 'Search a knowledge base: how many chunks the model gets' }),
  /** `knowledge`: minimum similarity 0–1. Default: 0.3. */
  minScore: ui(z.number().min(0).max(1).default(0.3), { title: 'Minimum similarity', description: 'Search a knowledge base: leave out chunks less similar than this' }),
  /** `http`: the only hosts the model may call (exact, or `*.example.com`). */
  hosts: ui(z.array(z.string().trim().toLowerCase().regex(HOST_PATTERN, 'a host such as api.example.com or *.example.com')).max(50).default([]), {
    title: 'Allowed hosts', description: 'HTTP request: the hosts the model may call, e.g. ["api.example.com", "*.example.org"]; any other is refused', widget: 'json', expression: false,
  }),
  /** `http`: Default: GET and POST. */
  methods: ui(z.array(z.enum(HTTP_METHODS)).min(1).default(['GET', 'POST']), {
    title: 'Methods', description: 'HTTP request: the methods the model may use', enumLabels: Object.fromEntries(HTTP_METHODS.map((m) => [m, m])),
  }),
  /** `flow`: the flow run as a sub-flow. */
  flowId: ui(z.string().trim().optional(), { title: 'Flow', description: 'Run another flow: the id of the flow to run with the model\'s arguments as its input' }),
  /** `flow`: JSON Schema of the arguments. Default: `{ input: string }`. */
  inputSchema: ui(z.record(z.string(), z.json()).optional(), {
    title: 'Input schema', description: 'Run another flow: a JSON Schema of the object the model passes as the flow\'s input', widget: 'json', expression: false,
  }),
  /** `channel`: the contact to write to; empty lets the model name it. */
  to: ui(z.string().trim().optional(), {
    title: 'To', description: 'Send a message: the contact (chat id, phone number) on the account chosen under Credentials, e.g. {{ $json.contact.id }}; empty lets the model say', expression: true,
  }),
}).superRefine((tool, ctx) => {
  const need = (field: 'knowledgeBase' | 'flowId', what: string) => {
    if (!tool[field]) ctx.addIssue({ code: 'custom', path: [field], message: `the ${tool.kind} tool "${tool.name}" needs ${what}` });
  };
  if (tool.kind === 'knowledge') need('knowledgeBase', 'a knowledge base');
  if (tool.kind === 'flow') need('flowId', 'a flow');
  if (tool.kind === 'http' && tool.hosts.length === 0) ctx.addIssue({ code: 'custom', path: ['hosts'], message: `the HTTP tool "${tool.name}" needs at least one allowed host` });
  if (tool.kind === 'flow' && tool.inputSchema && tool.inputSchema.type !== 'object') {
    ctx.addIssue({ code: 'custom', path: ['inputSchema'], message: 'the input schema must describe an object ({ "type": "object", … })' });
  }
});
export type ToolConfig = z.infer<typeof toolSchema>;

const toolCallSchema = z.object({
  id: ui(z.string(), { title: 'Call id', description: 'The id the model gave the call' }),
  name: ui(z.string(), { title: 'Tool', description: 'The tool called' }),
  arguments: ui(z.string(), { title: 'Arguments', description: 'The arguments, as JSON text' }),
});

/** One earlier turn: what AI Chat takes, plus the agent's own tool calls and results. */
export const agentTurnSchema = z.object({
  role: ui(z.enum(['user', 'assistant', 'system', 'tool']), {
    title: 'Role', description: 'Who said it (tool: a tool\'s result)',
    enumLabels: { user: 'The person', assistant: 'The assistant', system: 'System instruction', tool: 'A tool\'s result' },
  }),
  content: ui(z.string().nullable().default(''), { title: 'Text', description: 'What was said', widget: 'textarea' }),
  /** Assistant turns that called tools. */
  toolCalls: ui(z.array(toolCallSchema).optional(), { title: 'Tool calls', description: 'Assistant turns: the tools it called' }),
  /** Tool turns: the call they answer. */
  toolCallId: ui(z.string().optional(), { title: 'Answers call', description: 'Tool turns: the id of the call this result answers' }),
});
export type AgentTurn = z.infer<typeof agentTurnSchema>;

/** The Conversation history node's output and an agent's `messages` are both taken for their list. */
const memorySchema = z.preprocess(
  (value) => (isJsonObject(value as Json) && Array.isArray((value as { messages?: unknown }).messages) ? (value as { messages: unknown }).messages : value),
  z.array(agentTurnSchema).max(500),
);

const DEFAULT_SYSTEM = 'You are a helpful assistant. Use the tools when they help; say so when you cannot find the answer.';

const { temperature, maxTokens, topP } = modelSettingsShape;

export const agentProps = z.object({
  chain: chainSchema,
  /** Default: a short helpful-assistant instruction. */
  system: ui(z.string().max(100_000).default(DEFAULT_SYSTEM), {
    title: 'System prompt', description: 'Who the agent is, what it may do and how it answers', widget: 'textarea',
  }),
  /** Default: `{{ $json.text }}`. */
  prompt: ui(z.string().min(1, 'write the prompt').max(200_000).default('{{ $json.text }}'), {
    title: 'Prompt', description: 'The user\'s message; expressions such as {{ $json.text }} are filled in', widget: 'textarea',
  }),
  /** Default: none. */
  memory: ui(memorySchema.default([]), {
    title: 'Memory', widget: 'json',
    description: 'Earlier turns, oldest first: a Conversation history node\'s output, an earlier agent step\'s messages (tool results included), or a list of { role, content }',
  }),
  /** Default: none (nothing kept between runs but what Memory passes). */
  rememberKey: ui(z.string().trim().max(200).default(''), {
    title: 'Remember under', group: 'Memory',
    description: 'Keep this conversation\'s turns, tool calls and results included, for the next run with the same key, e.g. {{ $json.contact.id }}; empty keeps nothing',
  }),
  /** Default: 24 hours. */
  rememberHours: ui(z.number().min(0.1).max(24 * 30).default(24), {
    title: 'Remember for (hours)', description: 'How long remembered turns are kept after the last run', group: 'Memory',
  }),
  /** Default: 40. */
  rememberTurns: ui(z.number().int().min(2).max(200).default(40), {
    title: 'Turns remembered', description: 'The most recent turns kept (a tool call and its result count as two)', group: 'Memory',
  }),
  /** Default: none. */
  tools: ui(z.array(toolSchema).max(20).default([]).superRefine((tools, ctx) => {
    const seen = new Set<string>();
    tools.forEach((tool, i) => {
      if (seen.has(tool.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `two tools are called "${tool.name}"` });
      seen.add(tool.name);
    });
  }), { title: 'Tools', description: 'What the agent may do: search knowledge, call allowed hosts, run flows, send a message', group: 'Tools' }),
  /** Default: 8. */
  maxIterations: ui(z.number().int().min(1).max(50).default(8), {
    title: 'Max iterations', description: 'Model calls at most; an agent still calling tools after this many fails the step (code max_iterations)', group: 'Tools',
  }),
  /** Default: 8 000. */
  maxToolResultChars: ui(z.number().int().min(200).max(100_000).default(8000), {
    title: 'Longest tool result', description: 'A tool\'s answer is cut to this many characters before the model reads it', group: 'Tools',
  }),
  temperature, maxTokens, topP,
});
export type AgentProps = z.infer<typeof agentProps>;
