import { z } from 'zod';
import { defineNode, NonRetryableError, type Json, type NodeContext, type ShortLivedStore } from '@switchyard/sdk';
import { chainEntries, providerCredentials, settingsOf } from '../_shared/node-props.js';
import { usageJson } from '../_shared/usage.js';
import { CHANNEL_KINDS } from './channel.js';
import { runAgentLoop } from './loop.js';
import { agentProps, agentTurnSchema, type AgentProps, type AgentTurn } from './props.js';
import type { ToolEnv } from './tools.js';

export { agentProps, type AgentProps } from './props.js';

const credentials = {
  ...providerCredentials,
  channel: { kind: CHANNEL_KINDS, optional: true, title: 'Channel account (for "Send a message" tools)' },
} as const;

/**
 * AI Agent: a model that may call the tools picked in its form (knowledge search, HTTP to declared
 * hosts, other flows, a message on a channel) until it answers. Every model turn and tool call is a
 * recorded sub-step (`ctx.memo`), so a worker that dies mid-agent resumes from the recorded results
 * without repeating a tool call; each call has its own idempotency key. Tokens and cost are summed
 * over every turn (docs/ai.md, decision 035).
 */
export default defineNode({
  type: 'ai.agent',
  version: 1,
  title: 'AI Agent',
  category: 'AI',
  description: 'A model that calls tools (knowledge search, HTTP, other flows, channel messages) until it can answer',
  icon: 'bot',
  props: agentProps,
  credentials,
  ports: { in: ['main'], out: ['main'] },
  // Tools have effects: the step's record is committed before anything after it runs.
  sideEffects: true,
  async run(ctx, _input, props) {
    if (ctx.resumed && ctx.resumed.kind !== 'event') {
      throw new NonRetryableError(`AI Agent: resumed by "${ctx.resumed.kind}" instead of a sub-flow ending`, { code: 'unexpected_resume' });
    }
    if (props.tools.some((t) => t.kind === 'channel') && !ctx.credentials.channel) {
      throw new NonRetryableError('a "Send a message" tool needs the channel account chosen under Credentials', { code: 'credential_missing' });
    }
    const entries = chainEntries(ctx.credentials, props.chain);
    const memo: ToolEnv['memo'] = ctx.memo
      ? (key, run, input) => ctx.memo!(key, run, { input: input ?? null })
      // Where the runtime records no sub-steps (plugin test harnesses), each call simply runs.
      : (_key, run) => run();
    const env: ToolEnv = { ctx, ...(ctx.credentials.channel ? { channel: ctx.credentials.channel } : {}), memo };
    const remembered = await recall(ctx, memo, props);
    const turns: AgentTurn[] = [
      ...(props.system.trim() ? [{ role: 'system' as const, content: props.system }] : []),
      ...(remembered ?? props.memory),
      { role: 'user', content: props.prompt },
    ];
    const outcome = await runAgentLoop(env.ctx, env, {
      entries, settings: settingsOf(props), turns, tools: props.tools, maxIterations: props.maxIterations, maxToolResultChars: props.maxToolResultChars,
    });
    if (outcome.kind === 'wait') return ctx.wait({ event: `subflow:${outcome.childId}` });
    const messages = (props.system.trim() ? outcome.turns.slice(1) : outcome.turns).map(turnJson);
    if (props.rememberKey) await remember(ctx, props, messages);
    const main: Json = {
      text: outcome.text, model: outcome.model, provider: outcome.provider, iterations: outcome.iterations,
      toolCalls: outcome.toolCalls, messages, usage: usageJson(outcome.usage), attempts: outcome.attempts,
    };
    return { main };
  },
});

function turnJson(turn: AgentTurn): Json {
  return {
    role: turn.role, content: turn.content,
    ...(turn.toolCalls ? { toolCalls: turn.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })) } : {}),
    ...(turn.toolCallId ? { toolCallId: turn.toolCallId } : {}),
  };
}

type RememberProps = Pick<AgentProps, 'rememberKey' | 'rememberHours' | 'rememberTurns'>;

function rememberStore(ctx: Pick<NodeContext, 'channels'>): ShortLivedStore {
  const store = ctx.channels?.shortLived;
  if (!store) throw new NonRetryableError('"Remember under" needs the runtime\'s short-lived store, which is not available here', { code: 'no_memory_store' });
  return store;
}

/** Per flow: two flows keyed by the same contact do not read each other's tool results. */
const memoryKey = (ctx: Pick<NodeContext, 'flowId'>, key: string) => `agent-memory:${ctx.flowId}:${key}`;

/**
 * The remembered turns, read once per step (a memo), so a resumed step starts from the same memory
 * even though this step's own answer may have been remembered since. Undefined when nothing is kept.
 */
async function recall(ctx: Pick<NodeContext, 'channels' | 'flowId'>, memo: ToolEnv['memo'], props: RememberProps): Promise<AgentTurn[] | undefined> {
  if (!props.rememberKey) return undefined;
  const store = rememberStore(ctx);
  const stored = await memo('memory', async () => (await store.get(memoryKey(ctx, props.rememberKey))) ?? null, { key: props.rememberKey });
  const parsed = z.array(agentTurnSchema).safeParse(stored);
  return parsed.success && parsed.data.length > 0 ? parsed.data : undefined;
}

/** Keeps the latest turns, starting at a user turn (a tool result without its call is refused by providers). */
async function remember(ctx: Pick<NodeContext, 'channels' | 'flowId'>, props: RememberProps, messages: Json[]): Promise<void> {
  let kept = messages.slice(-props.rememberTurns);
  const start = kept.findIndex((m) => typeof m === 'object' && m !== null && !Array.isArray(m) && m.role === 'user');
  kept = start < 0 ? [] : kept.slice(start);
  await rememberStore(ctx).put(memoryKey(ctx, props.rememberKey), kept, Math.round(props.rememberHours * 3_600_000));
}
