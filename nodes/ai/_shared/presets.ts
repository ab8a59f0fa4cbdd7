/** The credential kind every AI provider uses (one kind, a preset per vendor; decision 032). */
export const AI_PROVIDER_KIND = 'ai-provider';

/** Vendors with an OpenAI-compatible API, and the base URL each preset fills in. */
export const PRESETS = {
  openai: { title: 'OpenAI', baseUrl: 'https://api.openai.com/v1', keyRequired: true },
  groq: { title: 'Groq', baseUrl: 'https://api.groq.com/openai/v1', keyRequired: true },
  together: { title: 'Together AI', baseUrl: 'https://api.together.xyz/v1', keyRequired: true },
  openrouter: { title: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', keyRequired: true },
  huggingface: { title: 'Hugging Face (router)', baseUrl: 'https://router.huggingface.co/v1', keyRequired: true },
  ollama: { title: 'Ollama (local)', baseUrl: 'http://localhost:11434/v1', keyRequired: false },
  custom: { title: 'Any OpenAI-compatible server (llama.cpp, vLLM, LM Studio…)', baseUrl: '', keyRequired: false },
} as const satisfies Record<string, { title: string; baseUrl: string; keyRequired: boolean }>;

export type Preset = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as [Preset, ...Preset[]];
