export { createKnowledgeService, DEFAULT_MAX_FILE_BYTES, PayloadTooLargeError, type KnowledgeServiceDeps } from './service.js';
export { KnowledgeQueue, KnowledgeWorker, KNOWLEDGE_QUEUE } from './queue.js';
export { LocalEmbedder, LOCAL_MODEL, LOCAL_DIMENSION } from './local-embedder.js';
export { VectorIndex, EXACT_SEARCH_MESSAGE } from './vector-index.js';
export type { Embedder, ProviderEmbedderFactory } from './embedders.js';
export * from './types.js';
