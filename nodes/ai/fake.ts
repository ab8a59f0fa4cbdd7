import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible server on 127.0.0.1 for tests, e2e and benchmarks, driven through the
 * official `openai` SDK (and LangChain) pointed at `fake.url`: chat completions (tool calls,
 * `response_format: json_schema`, streaming SSE with a usage chunk), embeddings (float or the base64
 * the SDK asks for by default), moderations and `GET /models`. Asked for `logprobs` (and
 * `top_logprobs`), a non-streamed answer carries them in OpenAI's shape, scriptable per answer. It
 * records every request, checks the bearer key as OpenAI does, and can be scripted to answer 429
 * with `retry-after`, 5xx, a 4xx, a body that is not JSON, or nothing at all (hang).
 */

/** Defaults: one key, a few models. */
export interface AiFakeOptions {
  /** The bearer key the fake accepts; `null` accepts any (or none), as Ollama does. Default: 'sk-fake-0123456789abcdef'. */
  apiKey?: string | null;
  /** Model ids listed by GET /models. Default: ['fake-chat', 'fake-mini', 'fake-embed']. */
  models?: string[];
  /** Length of embedding vectors when the request names no `dimensions`. Default: 256. */
  embeddingDimensions?: number;
  /** Words that make a moderation input flagged (as `harassment`). Default: ['kill', 'hate', 'idiot']. */
  flagWords?: string[];
}

/** What the fake does with one chat completion (or, for failures, any scripted request). */
export type FakeStep =
  /** A normal answer. `content` may be any text, even text that is not the JSON asked for. */
  | {
    kind: 'answer'; content?: string; toolCalls?: { id?: string; name: string; arguments: string }[]; usage?: { prompt: number; completion: number }; finishReason?: string;
    /**
     * Each token's log-probability when the request asks for `logprobs`: a number for every token,
     * or a function of the token's text (leading space included). Default: -0.05 (p ≈ 0.95).
     */
    tokenLogprob?: number | ((token: string, index: number) => number);
    /** Answer `logprobs: null` even when asked, as providers without them do. Default: false. */
    noLogprobs?: boolean;
  }
  /** An error status with OpenAI's error body; `retryAfter` (seconds) sets the `retry-after` header. */
  | { kind: 'status'; status: number; message?: string; retryAfter?: number }
  /** 200 with `content-type: application/json` and a body that is not JSON. */
  | { kind: 'malformed' }
  /** Never answers (until the client gives up or the fake closes). */
  | { kind: 'hang' };

/** One request the fake received (any path, any outcome). */
export interface FakeRequest {
  method: string;
  /** Path without the `/v1` prefix, e.g. `/chat/completions`. */
  path: string;
  /** The parsed JSON body, or null. */
  body: FakeChatBody | null;
  /** The bearer token sent, if any (this is the provider; our records must never hold it). */
  apiKey?: string;
}

/** The fields of a request body the fake reads (anything else is kept as sent). */
export interface FakeChatBody {
  model?: string;
  messages?: { role: string; content?: unknown; tool_calls?: unknown; tool_call_id?: string }[];
  stream?: boolean;
  response_format?: { type: string; json_schema?: { name?: string; schema?: JsonSchemaLike; strict?: boolean } };
  tools?: unknown[];
  input?: unknown;
  encoding_format?: string;
  dimensions?: number;
  [key: string]: unknown;
}

interface JsonSchemaLike {
  type?: string | string[];
  properties?: Record<string, JsonSchemaLike>;
  items?: JsonSchemaLike;
  enum?: unknown[];
}

export interface AiFake {
  /** `http://127.0.0.1:<port>/v1`: the credential's base URL (`baseURL` of the SDK). */
  url: string;
  /** The key to put in the credential (null when any is accepted). */
  apiKey: string | null;
  /** Every request, in order. */
  requests: FakeRequest[];
  /** Chat completion requests only, in order. */
  chatRequests(): FakeChatBody[];
  /** Queues steps for chat completions: each request takes the next one; then the default answer. */
  script(...steps: FakeStep[]): void;
  /** Queues failure steps for another path (`/embeddings`, `/moderations`, `/models`); answer steps are ignored there. */
  scriptPath(path: string, ...steps: FakeStep[]): void;
  /**
   * The answer when nothing is scripted; called with the request body. Default: `reply: <last user
   * message>`, or, with a json_schema response format, a minimal object matching the schema.
   */
  onChat(answer: ((body: FakeChatBody) => FakeStep) | undefined): void;
  /** Forgets requests and scripted steps. */
  reset(): void;
  close(): Promise<void>;
}

const encoder = new TextEncoder();

/** ~4 characters per token, as OpenAI's rule of thumb: deterministic and good enough for cost tests. */
export function fakeTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part === 'object' && part && 'text' in part ? String(part.text) : '')).join('');
  return content === undefined || content === null ? '' : JSON.stringify(content);
}

/** The smallest value of a JSON Schema's type: what a model that follows the schema and has nothing to say returns. */
function minimalValue(schema: JsonSchemaLike | undefined): unknown {
  if (!schema) return null;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, minimalValue(v)]));
    case 'array': return [];
    case 'string': return '';
    case 'number': case 'integer': return 0;
    case 'boolean': return false;
    default: return null;
  }
}

function defaultAnswer(body: FakeChatBody): FakeStep {
  const format = body.response_format;
  if (format?.type === 'json_schema') return { kind: 'answer', content: JSON.stringify(minimalValue(format.json_schema?.schema)) };
  if (format?.type === 'json_object') return { kind: 'answer', content: '{}' };
  const lastUser = [...(body.messages ?? [])].reverse().find((m) => m.role === 'user');
  return { kind: 'answer', content: `reply: ${textOf(lastUser?.content)}` };
}

/** Deterministic bag-of-words vectors (hashed words, L2-normalised): texts sharing words are close. */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let hash = 2166136261;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 16777619);
    vector[(hash >>> 0) % dimensions]! += 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((v) => v / norm);
}

/**
 * Splits an answer into tokens as a BPE tokenizer roughly would: a word with its leading space, a
 * single punctuation mark, trailing space. Joined, they give the text back exactly (as real logprobs do).
 */
export function fakeTokenize(text: string): string[] {
  return text.match(/\s*[\p{L}\p{N}]+|\s*[^\s\p{L}\p{N}]|\s+/gsu) ?? [];
}

/** The `logprobs` of a choice in OpenAI's shape: `content[]` of token, logprob, bytes, top_logprobs. */
function fakeLogprobs(content: string, step: Extract<FakeStep, { kind: 'answer' }>, top: number) {
  const logprobOf = (token: string, index: number) => {
    const value = typeof step.tokenLogprob === 'function' ? step.tokenLogprob(token, index) : (step.tokenLogprob ?? -0.05);
    return Math.min(0, value);
  };
  const bytes = (token: string) => [...encoder.encode(token)];
  return {
    content: fakeTokenize(content).map((token, index) => {
      const logprob = logprobOf(token, index);
      // The chosen token first, then made-up alternatives sharing what is left of the probability.
      const rest = Math.max(1e-9, 1 - Math.exp(logprob));
      const alternatives = Array.from({ length: Math.max(0, top - 1) }, (_, i) => {
        const alt = `${token}~${i + 1}`;
        return { token: alt, logprob: Math.log(rest / 2 ** (i + 1)), bytes: bytes(alt) };
      });
      return { token, logprob, bytes: bytes(token), top_logprobs: top > 0 ? [{ token, logprob, bytes: bytes(token) }, ...alternatives] : [] };
    }),
    refusal: null,
  };
}

function base64Floats(values: number[]): string {
  return Buffer.from(new Float32Array(values).buffer).toString('base64');
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(encoder.encode(text).length), ...headers });
  res.end(text);
}

function sendError(res: http.ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
  sendJson(res, status, { error: { message, type, param: null, code: status === 401 ? 'invalid_api_key' : null } }, headers);
}

export async function startAiFake(options: AiFakeOptions = {}): Promise<AiFake> {
  const apiKey = options.apiKey === undefined ? 'sk-fake-0123456789abcdef' : options.apiKey;
  const models = options.models ?? ['fake-chat', 'fake-mini', 'fake-embed'];
  const dimensions = options.embeddingDimensions ?? 256;
  const flagWords = options.flagWords ?? ['kill', 'hate', 'idiot'];
  const requests: FakeRequest[] = [];
  const steps = new Map<string, FakeStep[]>();
  const queue = (path: string) => {
    let list = steps.get(path);
    if (!list) steps.set(path, (list = []));
    return list;
  };
  let chatAnswer: ((body: FakeChatBody) => FakeStep) | undefined;
  let sequence = 0;

  /** Applies a failure step; true when the response was handled. */
  function fail(step: FakeStep, res: http.ServerResponse): boolean {
    if (step.kind === 'hang') return true;
    if (step.kind === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id": "chatcmpl-broken", "choices": [ {"mess');
      return true;
    }
    if (step.kind === 'status') {
      sendError(res, step.status, step.message ?? `scripted ${step.status}`, step.retryAfter === undefined ? {} : { 'retry-after': String(step.retryAfter) });
      return true;
    }
    return false;
  }

  function chat(body: FakeChatBody, step: FakeStep, res: http.ServerResponse): void {
    if (fail(step, res) || step.kind !== 'answer') return;
    const id = `chatcmpl-fake-${++sequence}`;
    const created = Math.floor(Date.now() / 1000);
    const model = body.model ?? 'fake-chat';
    const promptText = (body.messages ?? []).map((m) => textOf(m.content)).join('\n');
    const content = step.toolCalls?.length ? (step.content ?? null) : (step.content ?? '');
    const toolCalls = step.toolCalls?.map((call, i) => ({ id: call.id ?? `call_${sequence}_${i}`, type: 'function' as const, function: { name: call.name, arguments: call.arguments } }));
    const usage = step.usage
      ? { prompt_tokens: step.usage.prompt, completion_tokens: step.usage.completion, total_tokens: step.usage.prompt + step.usage.completion }
      : (() => {
        const prompt = fakeTokens(promptText);
        const completion = fakeTokens(content ?? JSON.stringify(toolCalls ?? []));
        return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
      })();
    const finishReason = step.finishReason ?? (toolCalls ? 'tool_calls' : 'stop');
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const chunk = (delta: unknown, finish: string | null, extra: Record<string, unknown> = {}) =>
        res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`);
      chunk({ role: 'assistant', content: '' }, null);
      // Several deltas, as a real stream sends, so a client must join them.
      for (const piece of (content ?? '').match(/.{1,8}/gsu) ?? []) chunk({ content: piece }, null);
      if (toolCalls) chunk({ tool_calls: toolCalls.map((c, index) => ({ index, ...c })) }, null);
      chunk({}, finishReason);
      const wantsUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage;
      if (wantsUsage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    const wantsLogprobs = body.logprobs === true && !step.noLogprobs && content !== null;
    const top = typeof body.top_logprobs === 'number' ? body.top_logprobs : 0;
    sendJson(res, 200, {
      id, object: 'chat.completion', created, model,
      choices: [{
        index: 0, message: { role: 'assistant', content, refusal: null, ...(toolCalls ? { tool_calls: toolCalls } : {}) },
        logprobs: wantsLogprobs ? fakeLogprobs(content, step, top) : null, finish_reason: finishReason,
      }],
      usage,
    });
  }

  function embeddings(body: FakeChatBody, res: http.ServerResponse): void {
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    if (inputs.length === 0 || inputs.some((i) => typeof i !== 'string')) {
      sendError(res, 400, "'input' must be a string or an array of strings");
      return;
    }
    const size = typeof body.dimensions === 'number' ? body.dimensions : dimensions;
    const texts = inputs as string[];
    sendJson(res, 200, {
      object: 'list', model: body.model ?? 'fake-embed',
      data: texts.map((text, index) => {
        const vector = fakeEmbedding(text, size);
        return { object: 'embedding', index, embedding: body.encoding_format === 'base64' ? base64Floats(vector) : vector };
      }),
      usage: { prompt_tokens: texts.reduce((n, t) => n + fakeTokens(t), 0), total_tokens: texts.reduce((n, t) => n + fakeTokens(t), 0) },
    });
  }

  function moderations(body: FakeChatBody, res: http.ServerResponse): void {
    const inputs = (Array.isArray(body.input) ? body.input : [body.input]).map(textOf);
    sendJson(res, 200, {
      id: `modr-fake-${++sequence}`, model: body.model ?? 'omni-moderation-latest',
      results: inputs.map((text) => {
        const flagged = flagWords.some((w) => new RegExp(`\\b${w}\\b`, 'i').test(text));
        return { flagged, categories: { harassment: flagged, violence: false }, category_scores: { harassment: flagged ? 0.93 : 0.01, violence: 0.001 } };
      }),
    });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!.replace(/^\/v1(?=\/)/, '');
      const auth = req.headers.authorization;
      const given = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
      let body: FakeChatBody | null = null;
      if (chunks.length > 0) {
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as FakeChatBody;
        } catch {
          requests.push({ method: req.method ?? 'GET', path, body: null, ...(given ? { apiKey: given } : {}) });
          sendError(res, 400, 'We could not parse the JSON body of your request.');
          return;
        }
      }
      requests.push({ method: req.method ?? 'GET', path, body, ...(given ? { apiKey: given } : {}) });
      if (apiKey !== null && given !== apiKey) {
        sendError(res, 401, 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.');
        return;
      }
      const scripted = steps.get(path)?.shift();
      if (scripted && fail(scripted, res)) return;
      if (req.method === 'GET' && path === '/models') {
        sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'fake' })) });
      } else if (req.method === 'POST' && path === '/chat/completions' && body) {
        chat(body, scripted ?? chatAnswer?.(body) ?? defaultAnswer(body), res);
      } else if (req.method === 'POST' && path === '/embeddings' && body) {
        embeddings(body, res);
      } else if (req.method === 'POST' && path === '/moderations' && body) {
        moderations(body, res);
      } else {
        sendError(res, 404, `Unknown request URL: ${req.method} ${path}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    chatRequests: () => requests.filter((r) => r.path === '/chat/completions' && r.body).map((r) => r.body!),
    script: (...more) => { queue('/chat/completions').push(...more); },
    scriptPath: (path, ...more) => { queue(path).push(...more); },
    onChat: (answer) => { chatAnswer = answer; },
    reset: () => { requests.length = 0; steps.clear(); chatAnswer = undefined; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
