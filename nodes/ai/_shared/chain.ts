import {
  APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError,
} from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { NodeError, NonRetryableError, type HttpClient, type Json } from '@switchyard/sdk';
import { createAiClient, endpointHost, withoutKey, type AiEndpoint } from './client.js';

/** One link of a fallback chain: a provider, a model, and how long to give it. */
export interface ChainEntry {
  endpoint: AiEndpoint;
  model: string;
  /** Per-request timeout. Default (in the node forms): 30 000 ms. */
  timeoutMs: number;
}

/** Tokens of one request, as the provider reported them (0 when it did not). */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** One try of one chain entry, recorded on the step whatever its outcome. */
export interface Attempt {
  /** The credential's preset, e.g. `groq`, `ollama`. */
  provider: string;
  host: string;
  credentialId?: string;
  model: string;
  latencyMs: number;
  ok: boolean;
  tokens?: TokenUsage;
  /** Why it failed; `fallback` says whether the chain went on to the next entry. */
  error?: { code: string; status?: number; message: string; fallback: boolean };
}

/** What the chat request asks, apart from the model (each chain entry sets its own). */
export interface ChatRequest {
  messages: ChatCompletionMessageParam[];
  /** Default: the provider's. */
  temperature?: number;
  /** Default: the provider's. */
  maxTokens?: number;
  /** Default: the provider's. */
  topP?: number;
  /** Default: none. */
  stop?: string[];
  /** Default: none. */
  seed?: number;
  /** `json_schema` for structured output, `json_object`, or none (text). */
  responseFormat?: ChatCompletionCreateParamsNonStreaming['response_format'];
  /** Function tools the model may call. Default: none. */
  tools?: ChatCompletionCreateParamsNonStreaming['tools'];
  /** Ask for each answer token's log-probability (what confidence is computed from). Default: false. */
  logprobs?: boolean;
}

/** One answer token and its natural-log probability, as the provider returned it. */
export interface TokenLogprob {
  token: string;
  logprob: number;
}

/** A provider's answer. */
export interface ChatAnswer {
  content: string | null;
  toolCalls: { id: string; name: string; arguments: string }[];
  finishReason: string;
  usage: TokenUsage;
  /** The entry that answered. */
  provider: string;
  model: string;
  /** The answer's tokens with their log-probabilities, when asked for and the provider returned them. */
  logprobs?: TokenLogprob[];
}

/** The chain ran out (or stopped on a refusal every provider would repeat). `details.attempts` lists each try. */
export class ChainFailedError extends NodeError {
  override name = 'ChainFailedError';
  constructor(message: string, readonly attempts: Attempt[]) {
    super(message, { code: 'ai_chain_failed', details: { attempts: attemptsJson(attempts) } });
  }
}

/** The same, when retrying the step cannot help (a 400 another provider would refuse alike). */
export class ChainRefusedError extends NonRetryableError {
  override name = 'ChainRefusedError';
  constructor(message: string, readonly attempts: Attempt[]) {
    super(message, { code: 'ai_request_refused', details: { attempts: attemptsJson(attempts) } });
  }
}

/**
 * Statuses that say something about this provider (its load, its key, its model list), not about
 * the request: the next provider may well answer. 400/413/422 and other 4xx are the request's
 * fault and every provider would refuse it the same way.
 */
const PROVIDER_STATUSES = new Set([401, 402, 403, 404, 408, 409, 429]);

interface Failure { code: string; status?: number; message: string; fallback: boolean }

function describe(error: unknown, entry: ChainEntry): Failure {
  const clean = (text: string) => withoutKey(text, entry.endpoint).slice(0, 500);
  if (error instanceof APIConnectionTimeoutError) return { code: 'timeout', message: `no answer within ${entry.timeoutMs} ms`, fallback: true };
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    return { code: 'connection', message: clean(cause), fallback: true };
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    const fallback = status >= 500 || PROVIDER_STATUSES.has(status);
    return { code: status === 429 ? 'rate_limited' : status >= 500 ? 'server_error' : 'http_status', status, message: clean(error.message), fallback };
  }
  // A 200 whose body is not JSON or not a chat completion: this provider is broken, another may not be.
  if (error instanceof SyntaxError) return { code: 'bad_response', message: clean(`the answer is not JSON: ${error.message}`), fallback: true };
  if (error instanceof BadAnswerError) return { code: 'bad_response', message: clean(error.message), fallback: true };
  return { code: 'error', message: clean(error instanceof Error ? error.message : String(error)), fallback: true };
}

class BadAnswerError extends Error {}

function usageOf(completion: ChatCompletion): TokenUsage {
  const prompt = completion.usage?.prompt_tokens ?? 0;
  const completionTokens = completion.usage?.completion_tokens ?? 0;
  return { promptTokens: prompt, completionTokens, totalTokens: completion.usage?.total_tokens ?? prompt + completionTokens };
}

function body(request: ChatRequest, model: string): ChatCompletionCreateParamsNonStreaming {
  return {
    model,
    messages: request.messages,
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
    ...(request.topP === undefined ? {} : { top_p: request.topP }),
    ...(request.stop?.length ? { stop: request.stop } : {}),
    ...(request.seed === undefined ? {} : { seed: request.seed }),
    ...(request.responseFormat ? { response_format: request.responseFormat } : {}),
    ...(request.tools?.length ? { tools: request.tools } : {}),
    ...(request.logprobs ? { logprobs: true } : {}),
  };
}

/** Options of {@link chatWithFallback}. */
export interface ChainOptions {
  /** The SSRF-guarded client (`ctx.http`). */
  http: HttpClient;
  /** `ctx.signal`: a cancel or step timeout stops the chain at once (no fallback). */
  signal: AbortSignal;
}

/**
 * Asks each entry in order until one answers. Goes on to the next on a timeout, a connection error,
 * 429, 5xx, a provider-specific 4xx (401/403/404…) or a broken answer; stops on a 400-like refusal.
 * @throws ChainRefusedError (not retried) or ChainFailedError (the step's retry settings apply), both with every attempt.
 */
export async function chatWithFallback(entries: readonly ChainEntry[], request: ChatRequest, options: ChainOptions): Promise<{ answer: ChatAnswer; attempts: Attempt[] }> {
  const attempts: Attempt[] = [];
  for (const entry of entries) {
    const { endpoint, model } = entry;
    const base = { provider: endpoint.preset, host: endpointHost(endpoint), ...(endpoint.credentialId ? { credentialId: endpoint.credentialId } : {}), model };
    const started = performance.now();
    // A signal of its own per request: the SDK never removes the listener it adds to the one it is
    // given, and `ctx.signal` lives for the whole step (an agent makes many calls on it).
    const controller = new AbortController();
    const onAbort = () => controller.abort(options.signal.reason);
    options.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const client = createAiClient(endpoint, options.http, entry.timeoutMs);
      const completion = await client.chat.completions.create(body(request, model), { signal: controller.signal });
      const choice = completion.choices?.[0];
      if (!choice?.message) throw new BadAnswerError('the answer has no choices[0].message');
      const usage = usageOf(completion);
      const logprobs = choice.logprobs?.content?.map((t) => ({ token: t.token, logprob: t.logprob }));
      attempts.push({ ...base, latencyMs: Math.round(performance.now() - started), ok: true, tokens: usage });
      return {
        attempts,
        answer: {
          content: choice.message.content ?? null,
          toolCalls: (choice.message.tool_calls ?? []).flatMap((call) => (call.type === 'function' ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }] : [])),
          finishReason: choice.finish_reason ?? 'stop',
          usage, provider: endpoint.preset, model,
          ...(logprobs?.length ? { logprobs } : {}),
        },
      };
    } catch (error) {
      if (error instanceof APIUserAbortError || options.signal.aborted) {
        throw options.signal.reason instanceof Error ? options.signal.reason : new NonRetryableError('the step was cancelled', { code: 'cancelled' });
      }
      const failure = describe(error, entry);
      attempts.push({ ...base, latencyMs: Math.round(performance.now() - started), ok: false, error: failure });
      if (!failure.fallback) {
        throw new ChainRefusedError(`${base.provider} (${model}) refused the request with ${failure.status}: ${failure.message}; other providers would refuse it the same way, so none was tried`, attempts);
      }
    } finally {
      options.signal.removeEventListener('abort', onAbort);
    }
  }
  const summary = attempts.map((a) => `${a.provider}/${a.model}: ${a.error?.message ?? 'failed'}`).join('; ');
  throw new ChainFailedError(`every provider of the fallback chain failed (${summary})`, attempts);
}

function tokensJson(tokens: TokenUsage): Json {
  return { promptTokens: tokens.promptTokens, completionTokens: tokens.completionTokens, totalTokens: tokens.totalTokens };
}

/** Attempts as the JSON a step records. */
export function attemptsJson(attempts: readonly Attempt[]): Json {
  return attempts.map((a): Json => ({
    provider: a.provider, host: a.host, ...(a.credentialId ? { credentialId: a.credentialId } : {}), model: a.model, latencyMs: a.latencyMs, ok: a.ok,
    ...(a.tokens ? { tokens: tokensJson(a.tokens) } : {}),
    ...(a.error ? { error: { code: a.error.code, ...(a.error.status === undefined ? {} : { status: a.error.status }), message: a.error.message, fallback: a.error.fallback } } : {}),
  }));
}
