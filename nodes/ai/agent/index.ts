import { defineNode, NonRetryableError, type Json } from '@switchyard/sdk';
import { chainEntries, providerCredentials, settingsOf } from '../_shared/node-props.js';
import { usageJson } from '../_shared/usage.js';
import { CHANNEL_KINDS } from './channel.js';
import { runAgentLoop } from './loop.js';
import { agentProps, type AgentTurn } from './props.js';
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
    const turns: AgentTurn[] = [
      ...(props.system.trim() ? [{ role: 'system' as const, content: props.system }] : []),
      ...props.memory,
      { role: 'user', content: props.prompt },
    ];
    const outcome = await runAgentLoop(env.ctx, env, {
      entries, settings: settingsOf(props), turns, tools: props.tools, maxIterations: props.maxIterations, maxToolResultChars: props.maxToolResultChars,
    });
    if (outcome.kind === 'wait') return ctx.wait({ event: `subflow:${outcome.childId}` });
    const messages = (props.system.trim() ? outcome.turns.slice(1) : outcome.turns).map(turnJson);
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
