import { z } from 'zod';
import { defineCredentialKind, ui } from '@switchyard/sdk';
import { createAiClient, endpointFromCredential, endpointHost, withoutKey } from '../_shared/client.js';
import { AI_PROVIDER_KIND, PRESETS, PRESET_NAMES } from '../_shared/presets.js';

const schema = z.object({
  /** Default: 'openai'. */
  preset: ui(z.enum(PRESET_NAMES).default('openai'), {
    title: 'Provider',
    description: 'Fills in the base URL; choose "Any OpenAI-compatible server" for llama.cpp, vLLM or LM Studio',
    enumLabels: Object.fromEntries(PRESET_NAMES.map((name) => [name, PRESETS[name].title])),
    expression: false,
  }),
  /** Required by the hosted presets; local servers usually take none. */
  apiKey: ui(z.string().trim().max(500).optional(), {
    title: 'API key', description: 'Leave empty for a local server that takes none (Ollama, llama.cpp)', secret: true, expression: false,
  }),
  /** Default: the preset's URL. */
  baseUrl: ui(z.url({ protocol: /^https?$/, error: 'the base URL must be an http(s) address, like https://api.groq.com/openai/v1' }).optional(), {
    title: 'Base URL',
    description: 'Leave empty for the preset\'s (OpenAI https://api.openai.com/v1, Groq …/openai/v1, Ollama http://localhost:11434/v1); required for "Any OpenAI-compatible server"',
    placeholder: 'https://api.openai.com/v1',
    group: 'Advanced',
    expression: false,
  }),
}).superRefine((fields, ctx) => {
  if (fields.preset === 'custom' && !fields.baseUrl) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'give the server\'s base URL, e.g. http://localhost:8080/v1' });
  if (PRESETS[fields.preset].keyRequired && !fields.apiKey) ctx.addIssue({ code: 'custom', path: ['apiKey'], message: `${PRESETS[fields.preset].title} needs an API key` });
});

/**
 * An AI provider with an OpenAI-compatible API (OpenAI, Groq, Together, OpenRouter, Hugging Face's
 * router, Ollama, any compatible server). "Test connection" lists its models through the official SDK.
 */
export default defineCredentialKind({
  kind: AI_PROVIDER_KIND,
  title: 'AI provider',
  description: 'An OpenAI-compatible API: OpenAI, Groq, Together, OpenRouter, Hugging Face, Ollama or your own server. Used by AI Chat, Classify, Extract and Summarize, also as a fallback.',
  schema,
  async test(fields, ctx) {
    const endpoint = endpointFromCredential({ kind: AI_PROVIDER_KIND, fields: { ...fields } });
    const client = createAiClient(endpoint, ctx.http, 15_000);
    try {
      const ids: string[] = [];
      for await (const model of client.models.list({ signal: ctx.signal })) {
        ids.push(model.id);
        if (ids.length >= 200) break;
      }
      if (ids.length === 0) return { ok: true, message: `Connected to ${endpointHost(endpoint)}; it lists no models.` };
      const shown = ids.slice(0, 12).join(', ');
      return { ok: true, message: `Connected to ${endpointHost(endpoint)}: ${ids.length}${ids.length >= 200 ? '+' : ''} models (${shown}${ids.length > 12 ? ', …' : ''}).` };
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      // A connection error's own message is "Connection error."; its cause says why (refused, blocked by the outbound guard…).
      const reason = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      const message = withoutKey(reason instanceof Error ? reason.message : String(reason), endpoint);
      if (status === 401 || status === 403) return { ok: false, message: `${endpointHost(endpoint)} refused the API key (${status}). Copy it again from the provider's dashboard.` };
      return { ok: false, message: `Could not list models at ${endpointHost(endpoint)}: ${message}` };
    }
  },
});
