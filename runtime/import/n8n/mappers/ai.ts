import type { Json } from '@switchyard/sdk';
import { isRecord, locatorValue, Unmappable, type MapContext, type Mapped, type Mapper } from './types.js';
import type { N8nNode } from '../workflow.js';

/** n8n chat model sub-nodes whose provider speaks the OpenAI API (our `ai-provider` kind points at any of them). */
const MODEL_CREDENTIALS = ['openAiApi', 'groqApi', 'mistralCloudApi', 'ollamaApi', 'deepSeekApi', 'openRouterApi', 'xAiApi', 'anthropicApi', 'googlePalmApi'];
const DEFAULT_MODEL = 'gpt-4o-mini';

/** The model settings of an attached chat model sub-node (or of the node itself for the OpenAI node). */
function modelOf(ctx: MapContext, source: N8nNode | undefined, fallback?: Json): { chain: Json[]; settings: Record<string, Json> } {
  const params = source?.parameters ?? {};
  const model = locatorValue(params.model ?? params.modelId ?? params.modelName ?? fallback);
  const name = typeof model === 'string' && model !== '' && !model.startsWith('=') ? model : DEFAULT_MODEL;
  if (typeof model === 'string' && model.startsWith('=')) ctx.warn('the model was an expression; set the model name');
  if (source && source !== ctx.node && !source.type.endsWith('lmChatOpenAi') && !source.type.endsWith('lmOpenAi')) {
    ctx.change(`chat model ${source.type.split('.').pop()} → an OpenAI-compatible provider credential (point it at the provider's API)`);
  }
  const options = isRecord(params.options) ? params.options : {};
  const settings: Record<string, Json> = {};
  if (typeof options.temperature === 'number') settings.temperature = options.temperature;
  if (typeof options.maxTokens === 'number' && options.maxTokens > 0) settings.maxTokens = options.maxTokens;
  if (typeof options.topP === 'number') settings.topP = options.topP;
  if (typeof options.temperature === 'string' || typeof options.maxTokens === 'string') ctx.warn('temperature or max tokens were expressions or placeholders; set numbers');
  ctx.credential(MODEL_CREDENTIALS, 'ai-provider', 'provider', source);
  return { chain: [{ credential: 'provider', model: name, timeoutMs: 30_000 }], settings };
}

function attachedModel(ctx: MapContext): N8nNode | undefined {
  const models = ctx.attached('ai_languageModel');
  if (models.length === 0) ctx.warn('no chat model was attached; pick a provider and model');
  return models[0];
}

/** `promptType: auto` read the chat trigger's `chatInput`; `define` used `text`. */
function promptOf(ctx: MapContext): string {
  const { params } = ctx;
  if (params.promptType === 'auto' || (params.promptType === undefined && params.text === undefined)) {
    ctx.change('prompt "from the chat trigger" → {{ $json.chatInput }}');
    return '{{ $json.chatInput }}';
  }
  return ctx.text(params.text, 'prompt') ?? '{{ $json.text }}';
}

function dropAttached(ctx: MapContext): void {
  const tools = ctx.attached('ai_tool');
  if (tools.length > 0) ctx.warn(`tools are not carried over: ${tools.map((t) => t.name).join(', ')}; add them on the node`);
  const memory = ctx.attached('ai_memory');
  if (memory.length > 0) ctx.warn(`memory ${memory.map((m) => m.name).join(', ')} is not carried over; use Conversation history or the memory field`);
  if (ctx.params.hasOutputParser === true || ctx.attached('ai_outputParser').length > 0) ctx.warn('the output parser is not carried over; use structured output');
}

/** Basic LLM Chain → AI chat. */
const chainLlm: Mapper = (ctx): Mapped => {
  const { chain, settings } = modelOf(ctx, attachedModel(ctx));
  const messages = isRecord(ctx.params.messages) && Array.isArray(ctx.params.messages.messageValues) ? ctx.params.messages.messageValues : [];
  const system = messages.filter(isRecord).filter((m) => m.type === undefined || m.type === 'SystemMessagePromptTemplate')
    .map((m) => ctx.text(m.message, 'system message') ?? '').join('\n\n');
  if (messages.some((m) => isRecord(m) && m.type !== undefined && m.type !== 'SystemMessagePromptTemplate')) ctx.warn('example messages other than system messages are not carried over');
  dropAttached(ctx);
  ctx.change('the answer is in text (n8n: text)');
  return { type: 'ai.chat', props: { chain, system, prompt: promptOf(ctx), ...settings } };
};

const agent: Mapper = (ctx): Mapped => {
  const { chain, settings } = modelOf(ctx, attachedModel(ctx));
  const options = isRecord(ctx.params.options) ? ctx.params.options : {};
  const system = ctx.text(options.systemMessage, 'system message') ?? '';
  dropAttached(ctx);
  ctx.change('the answer is in text (n8n: output); expressions that read output must read text');
  if (ctx.has('ai.agent')) return { type: 'ai.agent', props: { chain, ...(system ? { system } : {}), prompt: promptOf(ctx), ...settings } };
  ctx.change('AI Agent → AI chat (no agent node is installed): tools and iterations are not available');
  return { type: 'ai.chat', props: { chain, system, prompt: promptOf(ctx), ...settings } };
};

/** The OpenAI node (n8n-nodes-base.openAi and the newer langchain one): chat messages → system, memory and prompt. */
const openAi: Mapper = (ctx): Mapped => {
  const { params } = ctx;
  const resource = typeof params.resource === 'string' ? params.resource : ctx.node.type.includes('langchain') ? 'text' : 'text';
  const operation = typeof params.operation === 'string' ? params.operation : ctx.node.type.includes('langchain') ? 'message' : resource === 'chat' ? 'complete' : 'complete';
  const isChat = resource === 'chat' || (resource === 'text' && operation === 'message');
  if (!isChat && !(resource === 'text' && operation === 'complete')) throw new Unmappable(`OpenAI ${resource} ${operation} is not supported`);
  const { chain, settings } = modelOf(ctx, ctx.node, params.model ?? params.modelId);
  const list = isRecord(params.prompt) && Array.isArray(params.prompt.messages) ? params.prompt.messages
    : isRecord(params.messages) && Array.isArray(params.messages.values) ? params.messages.values : [];
  const system: string[] = [];
  const memory: Json[] = [];
  const users: string[] = [];
  for (const m of list) {
    if (!isRecord(m)) continue;
    const content = ctx.text(m.content, 'message') ?? '';
    if (m.role === 'system') system.push(content);
    else if (m.role === 'assistant') memory.push({ role: 'assistant', content });
    else users.push(content);
  }
  let prompt = users.pop() ?? '';
  if (!isChat) prompt = ctx.text(params.prompt, 'prompt') ?? '';
  for (const u of users) memory.push({ role: 'user', content: u });
  if (prompt === '') prompt = '{{ $json.text }}';
  const props: Record<string, Json> = { chain, system: system.join('\n\n'), prompt, ...settings };
  if (memory.length > 0) {
    props.memory = memory;
    ctx.change('earlier messages → memory turns before the prompt');
  }
  if (params.jsonOutput === true) {
    props.output = 'json';
    props.structuredMode = 'json_object';
    ctx.change('JSON output → structured output in JSON mode');
  }
  ctx.change('the answer is in text (n8n: message.content); expressions that read message.content must read text');
  return { type: 'ai.chat', props };
};

function slug(text: string, used: Set<string>): string {
  let id = text.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 40) || 'label';
  if (id === 'other' || id === 'error') id = `${id}-label`;
  let unique = id;
  for (let n = 2; used.has(unique); n++) unique = `${id.slice(0, 36)}-${n}`;
  used.add(unique);
  return unique;
}

const textClassifier: Mapper = (ctx): Mapped => {
  const { chain, settings } = modelOf(ctx, attachedModel(ctx));
  const list = isRecord(ctx.params.categories) && Array.isArray(ctx.params.categories.categories) ? ctx.params.categories.categories : [];
  const used = new Set<string>();
  const choices = list.filter(isRecord).map((c) => {
    const title = String(c.category ?? 'label');
    const id = slug(title, used);
    return { id, title: title.slice(0, 80), description: (typeof c.description === 'string' && c.description.trim() !== '' ? c.description : title).slice(0, 1000) };
  });
  if (choices.length === 0) throw new Unmappable('it has no categories');
  const options = isRecord(ctx.params.options) ? ctx.params.options : {};
  if (options.multiClass === true) ctx.warn('n8n could pick several categories; here one label is chosen');
  ctx.change(`categories → labels ${choices.map((c) => c.id).join(', ')}${options.fallback === 'other' ? ' (n8n\'s "Other" output → other)' : '; messages below the confidence threshold go to other'}`);
  return {
    type: 'ai.classify', props: { chain, text: ctx.text(ctx.params.inputText, 'text') ?? '{{ $json.text }}', choices, ...settings },
    port: (i) => (i < choices.length ? choices[i]!.id : i === choices.length ? 'other' : undefined),
  };
};

const FIELD_TYPES: Record<string, string> = { string: 'string', number: 'number', integer: 'integer', boolean: 'boolean', date: 'date', array: 'string[]' };

const informationExtractor: Mapper = (ctx): Mapped => {
  const { chain, settings } = modelOf(ctx, attachedModel(ctx));
  const { params } = ctx;
  let fields: Json[] = [];
  const name = (n: string) => n.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1').slice(0, 64);
  if (params.schemaType === 'manual' || params.schemaType === 'fromJson') {
    let schema: Json = null;
    try {
      schema = JSON.parse(String(params.schemaType === 'manual' ? params.inputSchema : params.jsonSchemaExample)) as Json;
    } catch {
      throw new Unmappable('its schema is not JSON');
    }
    const properties = params.schemaType === 'manual' ? (isRecord(schema) && isRecord(schema.properties) ? schema.properties : {}) : (isRecord(schema) ? schema : {});
    const required = isRecord(schema) && Array.isArray(schema.required) ? schema.required : [];
    fields = Object.entries(properties).map(([key, value]) => {
      const t = params.schemaType === 'manual' ? (isRecord(value) ? String(value.type ?? 'string') : 'string') : typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : Array.isArray(value) ? 'array' : 'string';
      return { name: name(key), type: FIELD_TYPES[t] ?? 'string', description: isRecord(value) && typeof value.description === 'string' ? value.description.slice(0, 1000) : '', required: required.includes(key) };
    });
    if (Object.values(properties).some((v) => isRecord(v) && (v.type === 'object' || (v.type === 'array' && isRecord(v.items) && v.items.type === 'object')))) {
      ctx.warn('nested objects in the schema become text fields; use AI chat with structured output for nested answers');
    }
    ctx.change('schema → one field per top-level property');
  } else {
    const list = isRecord(params.attributes) && Array.isArray(params.attributes.attributes) ? params.attributes.attributes : [];
    fields = list.filter(isRecord).map((a) => ({
      name: name(String(a.name ?? 'field')), type: FIELD_TYPES[String(a.type ?? 'string')] ?? 'string',
      description: typeof a.description === 'string' ? a.description.slice(0, 1000) : '', required: a.required === true,
    }));
  }
  if (fields.length === 0) throw new Unmappable('it extracts no fields');
  ctx.change('the extracted fields are under data (n8n: under output); expressions that read output must read data');
  return { type: 'ai.extract', props: { chain, text: ctx.text(params.text, 'text') ?? '{{ $json.text }}', fields: fields.slice(0, 50), ...settings } };
};

export const aiMappers: Record<string, Mapper> = {
  openAi, 'langchain.openAi': openAi, 'langchain.chainLlm': chainLlm, 'langchain.agent': agent,
  'langchain.textClassifier': textClassifier, 'langchain.informationExtractor': informationExtractor,
};
