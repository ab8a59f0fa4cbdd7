import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { contextText, hitJson, knowledgeShape, searchKnowledge } from './search.js';

export const knowledgeSearchProps = z.object({
  /** Default: `{{ $json.text }}` (a channel trigger's message). */
  query: ui(z.string().max(2000).default('{{ $json.text }}'), { title: 'Question', description: 'What to look for, e.g. {{ $json.text }}' }),
  ...knowledgeShape,
});

/**
 * Knowledge search: the chunks of a knowledge base that best answer a question (hybrid search),
 * with citations, on `main`; on `none` when no chunk reaches the minimum similarity.
 */
export default defineNode({
  type: 'ai.knowledge-search',
  version: 1,
  title: 'Knowledge search',
  category: 'AI',
  description: 'Find the chunks of a knowledge base that answer a question, with their sources',
  icon: 'search',
  props: knowledgeSearchProps,
  ports: { in: ['main'], out: ['main', 'none'] },
  // A read: recomputed after a crash rather than committed before the next step.
  sideEffects: false,
  async run(ctx, _input, props) {
    const hits = await searchKnowledge(ctx, props, props.query);
    const output = { query: props.query, count: hits.length, hits: hits.map((hit, i) => hitJson(hit, i + 1)), context: contextText(hits) };
    return hits.length > 0 ? { main: output } : { none: output };
  },
});
