import { aiMappers } from './ai.js';
import { channelMappers } from './channels.js';
import { coreMappers } from './core.js';
import { flowMappers } from './flow.js';
import { httpMappers } from './http.js';
import type { Mapper } from './types.js';

/** Mappers by short n8n type (`httpRequest`, `langchain.agent`; see shortType). */
export const mappers: Record<string, Mapper> = { ...coreMappers, ...flowMappers, ...httpMappers, ...channelMappers, ...aiMappers };

/** Where n8n's output of a node of this short type sits in ours (see ExpressionScope.inputPrefix). */
export const OUTPUT_PREFIX: Record<string, string> = { httpRequest: '.body', telegramTrigger: '.raw', whatsAppTrigger: '.raw' };

/** Output fields that have another name here, by short type: n8n's path → ours (see ExpressionScope.fieldsOf). */
export const OUTPUT_FIELDS: Record<string, readonly (readonly [string, string])[]> = {
  'langchain.agent': [['output', 'text']],
  'langchain.informationExtractor': [['output', 'data']],
  openAi: [['message.content', 'text']],
  'langchain.openAi': [['message.content', 'text'], ['content', 'text']],
};

/** Short types that never reach the canvas. */
export const DROPPED = new Set(['stickyNote']);
