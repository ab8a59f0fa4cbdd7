import { z } from 'zod';
import { tool, type StructuredToolInterface } from '@langchain/core/tools';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import type { JsonSchema7ObjectType } from '@langchain/core/utils/json_schema';
import { NonRetryableError, type CredentialValue, type Json, type NodeContext } from '@switchyard/sdk';
import { contextText, hitJson, searchKnowledge } from '../knowledge-search/search.js';
import { sendOnChannel } from './channel.js';
import type { ToolConfig } from './props.js';

/** What a tool call gives back: `content` is what the model reads; the rest is recorded on the sub-step. */
export interface ToolResult {
  ok: boolean;
  content: string;
  data?: Json;
}

/** A flow tool's child is running: the agent parks until it ends (`subflow:<childId>`), then carries on. */
export class SubflowPending extends Error {
  override name = 'SubflowPending';
  constructor(readonly childId: string) {
    super(`waiting for sub-flow ${childId}`);
  }
}

/** Everything a tool call may use: the step's context, the channel account, and this call's place. */
export interface ToolEnv {
  /** The step's context (its credentials are read through `channel`). */
  ctx: Omit<NodeContext, 'credentials'>;
  channel?: CredentialValue;
  /** `ctx.memo`, or running each call directly where the runtime records no sub-steps. */
  memo(key: string, run: () => Promise<Json>, input?: Json): Promise<Json>;
}

/** This call's number (1-based, over the whole step) and its own idempotency key. */
export interface CallPlace {
  index: number;
  idempotencyKey: string;
}

const DEFAULT_FLOW_SCHEMA: JsonSchema7ObjectType = {
  type: 'object', properties: { input: { type: 'string', description: 'What the flow should work on' } }, required: ['input'], additionalProperties: true,
};

function hostAllowed(host: string, allowed: readonly string[]): boolean {
  return allowed.some((pattern) => (pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : host === pattern));
}

/** The HTTP tool: only the declared hosts, through the outbound guard, no redirects (one could leave the list). */
function httpTool(config: ToolConfig, env: ToolEnv, place: CallPlace): StructuredToolInterface {
  const schema = z.object({
    method: z.enum(config.methods as [string, ...string[]]).describe('HTTP method'),
    url: z.string().describe(`Full URL; its host must be one of: ${config.hosts.join(', ')}`),
    headers: z.record(z.string(), z.string()).optional().describe('Extra request headers'),
    body: z.string().optional().describe('Request body (JSON text for JSON APIs)'),
  });
  return tool(async ({ method, url, headers, body }): Promise<ToolResult> => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { ok: false, content: `"${url}" is not a URL` };
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false, content: `only http and https URLs are allowed, not ${parsed.protocol}` };
    const host = parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname;
    if (!hostAllowed(parsed.hostname, config.hosts) && !hostAllowed(host, config.hosts)) {
      return { ok: false, content: `refused: ${host} is not one of this tool's hosts (${config.hosts.join(', ')})` };
    }
    const response = await env.ctx.http.request({
      url: parsed.href, method,
      headers: { ...(body !== undefined && body.trimStart().match(/^[[{]/) ? { 'content-type': 'application/json' } : {}), ...headers, 'idempotency-key': place.idempotencyKey },
      ...(body !== undefined && method !== 'GET' ? { body } : {}),
      maxRedirects: 0, signal: env.ctx.signal,
    });
    const text = response.text();
    const type = response.headers['content-type'] ?? '';
    let bodyJson: Json = text;
    if (type.includes('json')) {
      try { bodyJson = JSON.parse(text) as Json; } catch { /* kept as text */ }
    }
    return { ok: response.status < 400, content: `HTTP ${response.status}\n${text}`, data: { status: response.status, body: bodyJson } };
  }, { name: config.name, description: config.description, schema });
}

function knowledgeTool(config: ToolConfig, env: ToolEnv): StructuredToolInterface {
  const schema = z.object({ query: z.string().min(1).describe('What to look for, in a few words or a question') });
  return tool(async ({ query }): Promise<ToolResult> => {
    const hits = await searchKnowledge(env.ctx, { knowledgeBase: config.knowledgeBase ?? '', k: config.k, minScore: config.minScore, mode: 'hybrid' }, query);
    if (hits.length === 0) return { ok: true, content: 'Nothing in the knowledge base matches.', data: [] };
    return { ok: true, content: contextText(hits), data: hits.map((hit, i) => hitJson(hit, i + 1)) };
  }, { name: config.name, description: config.description, schema });
}

/** Another flow as a tool: started once per call (its id derives from the call), awaited by parking the step. */
function flowTool(config: ToolConfig, env: ToolEnv, place: CallPlace): StructuredToolInterface {
  return tool(async (args: unknown): Promise<ToolResult> => {
    const core = env.ctx.core;
    if (!core) throw new NonRetryableError('running flows is not available to this node here', { code: 'core_unavailable' });
    // Recorded before the wait, so a replay knows its child and never starts a second one.
    const childId = String(await env.memo(`tool-${place.index}.start`, () => core.startSubflow(config.flowId ?? '', args as Json, { key: `tool-${place.index}` }), { flowId: config.flowId ?? '' }));
    const resumed = env.ctx.resumed;
    if (resumed?.kind !== 'event' || resumed.name !== `subflow:${childId}`) throw new SubflowPending(childId);
    if (resumed.error) return { ok: false, content: `the flow failed: ${resumed.error.message}`, data: { executionId: childId } };
    return { ok: true, content: JSON.stringify(resumed.payload), data: { executionId: childId, result: resumed.payload } };
  }, { name: config.name, description: config.description, // Checked in the form to be an object schema; LangChain validates the model's arguments against it.
    schema: (config.inputSchema as JsonSchema7ObjectType | undefined) ?? DEFAULT_FLOW_SCHEMA });
}

function channelTool(config: ToolConfig, env: ToolEnv): StructuredToolInterface {
  const fixed = config.to?.trim();
  const schema = fixed
    ? z.object({ text: z.string().min(1).describe('The message to send') })
    : z.object({ to: z.string().min(1).describe('The contact: chat id or phone number'), text: z.string().min(1).describe('The message to send') });
  return tool(async (args: { text: string; to?: string }): Promise<ToolResult> => {
    if (!env.channel) throw new NonRetryableError('choose the channel account under Credentials (Channel account) to send messages', { code: 'credential_missing' });
    const contactId = fixed || args.to || '';
    const sent = await sendOnChannel(env.ctx, env.channel, contactId, args.text);
    return { ok: true, content: `sent to ${contactId}`, data: { contactId: sent.contactId, providerMessageId: sent.providerMessageId, simulated: sent.simulated } };
  }, { name: config.name, description: config.description, schema });
}

/** The LangChain tool for one configured tool, bound to one call's place (its idempotency key). */
export function makeTool(config: ToolConfig, env: ToolEnv, place: CallPlace): StructuredToolInterface {
  const made = config.kind === 'http' ? httpTool(config, env, place)
    : config.kind === 'knowledge' ? knowledgeTool(config, env)
      : config.kind === 'flow' ? flowTool(config, env, place)
        : channelTool(config, env);
  // The model reads why its arguments were refused, so it can correct them.
  (made as { verboseParsingErrors?: boolean }).verboseParsingErrors = true;
  return made;
}

/** The tools as the chat completions API takes them (`tools`), converted by LangChain from their schemas. */
export function toolDefinitions(configs: readonly ToolConfig[], env: ToolEnv) {
  return configs.map((config) => {
    const converted = convertToOpenAITool(makeTool(config, env, { index: 0, idempotencyKey: '' }));
    const { $schema: _ignored, ...parameters } = (converted.function.parameters ?? {}) as Record<string, unknown>;
    return { type: 'function' as const, function: { name: converted.function.name, description: converted.function.description ?? '', parameters } };
  });
}
