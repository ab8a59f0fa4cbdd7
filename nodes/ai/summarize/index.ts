import { z } from 'zod';
import { defineNode, NodeError, ui } from '@switchyard/sdk';
import { askModel, combineCalls } from '../_shared/ask.js';
import { chainEntries, chainSchema, modelSettingsShape, providerCredentials, settingsOf } from '../_shared/node-props.js';

const STYLES = {
  paragraph: 'one short paragraph',
  bullets: 'a bulleted list of the key points, one line each',
  tldr: 'a single sentence',
} as const;

export const summarizeProps = z.object({
  chain: chainSchema,
  /** Default: `{{ $json.text }}`. */
  text: ui(z.string().min(1, 'give the text to summarize').max(500_000).default('{{ $json.text }}'), { title: 'Text', description: 'What to summarize', widget: 'textarea' }),
  /** Default: 'paragraph'. */
  style: ui(z.enum(['paragraph', 'bullets', 'tldr']).default('paragraph'), {
    title: 'Style', description: 'The shape of the summary', enumLabels: { paragraph: 'A short paragraph', bullets: 'Bullet points', tldr: 'One sentence' },
  }),
  /** Default: 100. */
  maxWords: ui(z.number().int().min(5).max(2000).default(100), { title: 'At most (words)', description: 'The longest the summary may be' }),
  /** Default: the text's language. */
  language: ui(z.string().trim().max(50).default(''), { title: 'Language', description: 'Leave empty to answer in the text\'s language', placeholder: 'English' }),
  /** Default: none. */
  instructions: ui(z.string().max(20_000).default(''), { title: 'Extra instructions', description: 'Added to what the model is told', widget: 'textarea', group: 'Model' }),
  ...modelSettingsShape,
});

/** Summarize: a text → a summary in the chosen style and length. */
export default defineNode({
  type: 'ai.summarize',
  version: 1,
  title: 'AI Summarize',
  category: 'AI',
  description: 'Summarize a text as a paragraph, bullet points or one sentence',
  icon: 'pencil',
  props: summarizeProps,
  credentials: providerCredentials,
  ports: { in: ['main'], out: ['main'] },
  async run(ctx, _input, props) {
    const entries = chainEntries(ctx.credentials, props.chain);
    const system = [
      `Summarize the user's text as ${STYLES[props.style]}, in at most ${props.maxWords} words.`,
      props.language ? `Write in ${props.language}.` : 'Write in the language of the text.',
      'Keep names, numbers and dates exactly as written; add nothing the text does not say.',
      props.instructions.trim(),
    ].filter(Boolean).join('\n');
    const call = await askModel(ctx, entries, {
      messages: [{ role: 'system', content: system }, { role: 'user', content: props.text }], ...settingsOf(props),
    }, { cacheTtlMs: props.cacheTtlSeconds * 1000 });
    if (!call.answer.content) throw new NodeError(`${call.answer.provider} (${call.answer.model}) answered with no text`, { code: 'empty_answer' });
    const { attempts, usage, cached } = combineCalls([call]);
    return { main: { summary: call.answer.content.trim(), model: call.answer.model, provider: call.answer.provider, usage, attempts, cached } };
  },
});
