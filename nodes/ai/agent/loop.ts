import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { ToolInputParsingException } from '@langchain/core/tools';
import { isJsonObject, isRetryable, NodeError, NonRetryableError, type Json } from '@switchyard/sdk';
import { askModel } from '../_shared/ask.js';
import { attemptsJson, type ChainEntry, type ChatRequest } from '../_shared/chain.js';
import { usageJson, type StepUsage } from '../_shared/usage.js';
import type { AgentTurn, ToolConfig } from './props.js';
import { makeTool, SubflowPending, toolDefinitions, type ToolEnv, type ToolResult } from './tools.js';

/** A model turn as its sub-step records it (`model-<n>`); its tokens are under `tokens`, not `usage`, so the execution's sum counts them once, on the agent's own step. */
interface TurnRecord {
  content: string | null;
  toolCalls: { id: string; name: string; arguments: string }[];
  finishReason: string;
  provider: string;
  model: string;
  attempts: Json;
  tokens: StepUsage;
}

/** What the loop hands back to the node. */
export type LoopOutcome =
  | { kind: 'answer'; text: string; turns: AgentTurn[]; usage: StepUsage; attempts: Json[]; toolCalls: Json[]; iterations: number; provider: string; model: string }
  | { kind: 'wait'; childId: string };

export interface LoopInput {
  entries: readonly ChainEntry[];
  settings: Pick<ChatRequest, 'temperature' | 'maxTokens' | 'topP'>;
  /** System prompt, memory, and the user's prompt, as agent turns. */
  turns: AgentTurn[];
  tools: readonly ToolConfig[];
  maxIterations: number;
  maxToolResultChars: number;
}

function toMessage(turn: AgentTurn): ChatCompletionMessageParam {
  if (turn.role === 'tool') return { role: 'tool', tool_call_id: turn.toolCallId ?? '', content: turn.content ?? '' };
  if (turn.role === 'assistant') {
    return {
      role: 'assistant', content: turn.content ?? null,
      ...(turn.toolCalls?.length ? { tool_calls: turn.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })) } : {}),
    };
  }
  return { role: turn.role, content: turn.content ?? '' };
}

function addUsage(a: StepUsage, b: StepUsage): StepUsage {
  const tokens = { promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens, totalTokens: a.totalTokens + b.totalTokens };
  const unpriced = [...new Set([...(a.unpriced ?? []), ...(b.unpriced ?? [])])];
  return unpriced.length > 0 ? { ...tokens, unpriced } : { ...tokens, cost: Math.round(((a.cost ?? 0) + (b.cost ?? 0)) * 1e8) / 1e8 };
}

const NO_USAGE: StepUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0, cost: 0 };

function turnFromJson(value: Json): TurnRecord {
  if (!isJsonObject(value) || !Array.isArray(value.toolCalls) || !isJsonObject(value.tokens)) throw new NonRetryableError('a recorded model turn is unreadable', { code: 'bad_record' });
  const tokens = value.tokens;
  const num = (v: Json | undefined) => (typeof v === 'number' ? v : 0);
  return {
    content: typeof value.content === 'string' ? value.content : null,
    toolCalls: value.toolCalls.flatMap((c) => (isJsonObject(c) && typeof c.id === 'string' && typeof c.name === 'string' && typeof c.arguments === 'string' ? [{ id: c.id, name: c.name, arguments: c.arguments }] : [])),
    finishReason: String(value.finishReason ?? 'stop'), provider: String(value.provider ?? ''), model: String(value.model ?? ''),
    attempts: value.attempts ?? [],
    tokens: {
      promptTokens: num(tokens.promptTokens), completionTokens: num(tokens.completionTokens), totalTokens: num(tokens.totalTokens),
      ...(Array.isArray(tokens.unpriced) ? { unpriced: tokens.unpriced.map(String) } : { cost: num(tokens.cost) }),
    },
  };
}

function cut(text: string, max: number): string {
  const clean = text.replaceAll('\u0000', '');
  return clean.length > max ? `${clean.slice(0, max)}… (${clean.length - max} more characters cut)` : clean;
}

/** Runs one tool call; whatever goes wrong becomes an error result the model reads, except a cancel or a pending sub-flow. */
async function runTool(env: ToolEnv, tools: readonly ToolConfig[], call: { name: string; arguments: string }, index: number, maxChars: number): Promise<ToolResult> {
  const config = tools.find((t) => t.name === call.name);
  if (!config) return { ok: false, content: `there is no tool "${call.name}"; the tools are: ${tools.map((t) => t.name).join(', ') || 'none'}` };
  let args: unknown;
  try {
    args = call.arguments.trim() ? JSON.parse(call.arguments) : {};
  } catch {
    return { ok: false, content: `the arguments are not JSON: ${cut(call.arguments, 200)}` };
  }
  try {
    const result = await makeTool(config, env, { index, idempotencyKey: `${env.ctx.idempotencyKey}:tool-${index}` }).invoke(args as Record<string, unknown>) as ToolResult;
    return { ...result, content: cut(result.content, maxChars) };
  } catch (error) {
    if (error instanceof SubflowPending || env.ctx.signal.aborted) throw error;
    const message = error instanceof ToolInputParsingException ? error.message : `the tool failed: ${error instanceof Error ? error.message : String(error)}`;
    return { ok: false, content: cut(message, maxChars), ...(error instanceof NodeError ? { data: { code: error.code } } : {}) };
  }
}

/**
 * The agent's loop, ours rather than a LangChain agent executor because it must be resumable: each
 * model turn and each tool call goes through `env.memo`, so a run that starts again (a worker that
 * died, a sub-flow that ended) replays the recorded answers and results in order and only asks or
 * calls what was never recorded (decision 035).
 */
export async function runAgentLoop(ctx: ToolEnv['ctx'], env: ToolEnv, input: LoopInput): Promise<LoopOutcome> {
  const definitions = toolDefinitions(input.tools, env);
  const transcript = [...input.turns];
  let usage = NO_USAGE;
  const attempts: Json[] = [];
  const toolCalls: Json[] = [];
  let toolIndex = 0;
  for (let iteration = 1; iteration <= input.maxIterations; iteration++) {
    const request: ChatRequest = { messages: transcript.map(toMessage), ...input.settings, ...(definitions.length ? { tools: definitions } : {}) };
    let turn: TurnRecord;
    try {
      turn = turnFromJson(await env.memo(`model-${iteration}`, async () => {
        const call = await askModel(ctx, input.entries, request);
        const record: Json = {
          content: call.answer.content, finishReason: call.answer.finishReason, provider: call.answer.provider, model: call.answer.model,
          toolCalls: call.answer.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })),
          attempts: attemptsJson(call.attempts), tokens: usageJson(call.usage),
        };
        return record;
      }, { iteration, messages: request.messages.length }));
    } catch (error) {
      throw withUsage(error, usage);
    }
    usage = addUsage(usage, turn.tokens);
    if (Array.isArray(turn.attempts)) attempts.push(...turn.attempts);
    transcript.push({ role: 'assistant', content: turn.content, ...(turn.toolCalls.length ? { toolCalls: turn.toolCalls } : {}) });
    if (turn.toolCalls.length === 0) {
      if (turn.content === null) throw withUsage(new NodeError(`${turn.provider} (${turn.model}) answered with no text (finish reason ${turn.finishReason})`, { code: 'empty_answer' }), usage);
      return { kind: 'answer', text: turn.content, turns: transcript, usage, attempts, toolCalls, iterations: iteration, provider: turn.provider, model: turn.model };
    }
    for (const call of turn.toolCalls) {
      const index = ++toolIndex;
      let result: Json;
      try {
        result = await env.memo(`tool-${index}`, async () => {
          const outcome = await runTool(env, input.tools, call, index, input.maxToolResultChars);
          return { tool: call.name, callId: call.id, ok: outcome.ok, content: outcome.content, ...(outcome.data === undefined ? {} : { data: outcome.data }) };
        }, { tool: call.name, arguments: call.arguments, idempotencyKey: `${ctx.idempotencyKey}:tool-${index}` });
      } catch (error) {
        if (error instanceof SubflowPending) return { kind: 'wait', childId: error.childId };
        throw withUsage(error, usage);
      }
      const content = isJsonObject(result) && typeof result.content === 'string' ? result.content : JSON.stringify(result);
      toolCalls.push({ n: index, tool: call.name, arguments: call.arguments, ok: isJsonObject(result) ? result.ok ?? null : null });
      transcript.push({ role: 'tool', toolCallId: call.id, content });
    }
  }
  throw new NonRetryableError(
    `the agent still wanted to call tools after ${input.maxIterations} model calls (Max iterations); ${toolIndex} tool calls were made`,
    { code: 'max_iterations', details: { usage: usageJson(usage), toolCalls, attempts } },
  );
}

/** The error with the tokens spent so far, so the execution's sum counts them even when the step fails. */
function withUsage(error: unknown, usage: StepUsage): unknown {
  if (!(error instanceof NodeError) || usage.totalTokens === 0) return error;
  const details = isJsonObject(error.details as Json) ? (error.details as Record<string, Json>) : {};
  const Kind = isRetryable(error) ? NodeError : NonRetryableError;
  return new Kind(error.message, { code: error.code, details: { ...details, usage: usageJson(usage) }, cause: error });
}
