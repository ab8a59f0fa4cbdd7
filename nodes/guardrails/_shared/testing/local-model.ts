import type { KnowledgeCapabilities } from '@switchyard/sdk';
import { LocalEmbedder } from '../../../../runtime/knowledge/local-embedder.js';

/**
 * For guardrail tests: the real local sentence model (runtime/knowledge's model process) behind
 * `ctx.knowledge.embedLocally`, as the runtime wires it. Close it in afterAll.
 */
export function localModel(): { knowledge: KnowledgeCapabilities; close(): Promise<void> } {
  const embedder = new LocalEmbedder();
  return {
    knowledge: {
      search: async () => { throw new Error('no knowledge bases in this test'); },
      embedLocally: async (texts) => (await embedder.embed(texts)).map((v) => Array.from(v)),
    },
    close: () => embedder.close(),
  };
}
