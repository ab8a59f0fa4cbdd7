import { APIUserAbortError } from 'openai';
import { NodeError, NonRetryableError, type HttpClient } from '@switchyard/sdk';
import { createAiClient, endpointHost, withoutKey, type AiEndpoint } from './client.js';

/** Options of {@link embedTexts}. */
export interface EmbedOptions {
  http: HttpClient;
  /** Aborts the request. Default: none. */
  signal?: AbortSignal;
  /** Default: 30 000 ms. */
  timeoutMs?: number;
  /** Ask for vectors of this length (text-embedding-3-*). Default: the model's. */
  dimensions?: number;
}

/**
 * Embeds texts with a provider's embedding model through the official SDK (which asks for base64
 * and decodes it). One request per call: batch texts yourself (providers cap a request at ~2,048 inputs).
 */
export async function embedTexts(endpoint: AiEndpoint, model: string, texts: string[], options: EmbedOptions): Promise<{ vectors: number[][]; promptTokens: number }> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const client = createAiClient(endpoint, options.http, timeoutMs);
  try {
    const result = await client.embeddings.create(
      { model, input: texts, ...(options.dimensions ? { dimensions: options.dimensions } : {}) },
      options.signal ? { signal: options.signal } : {},
    );
    const vectors = [...result.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
    if (vectors.length !== texts.length) throw new NodeError(`${endpointHost(endpoint)} returned ${vectors.length} vectors for ${texts.length} texts`, { code: 'bad_response' });
    return { vectors, promptTokens: result.usage?.prompt_tokens ?? 0 };
  } catch (error) {
    if (error instanceof APIUserAbortError) throw new NonRetryableError('the embedding request was cancelled', { code: 'cancelled' });
    if (error instanceof NodeError) throw error;
    const message = withoutKey(error instanceof Error ? error.message : String(error), endpoint);
    const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : undefined;
    const fatal = status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
    const Err = fatal ? NonRetryableError : NodeError;
    throw new Err(`embedding with ${endpointHost(endpoint)} (${model}) failed${status ? ` with ${status}` : ''}: ${message}`, { code: 'embedding_failed' });
  }
}
