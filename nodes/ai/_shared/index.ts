/**
 * The shared AI layer every AI node (and the knowledge nodes) builds on: endpoints from
 * `ai-provider` credentials, the official `openai` SDK through the outbound guard, the fallback
 * chain, embeddings, and token/cost accounting. Keep this API stable: other families import it.
 */
export { AI_PROVIDER_KIND, PRESETS, PRESET_NAMES, type Preset } from './presets.js';
export { createAiClient, endpointFromCredential, endpointHost, guardedFetch, withoutKey, type AiEndpoint } from './client.js';
export {
  attemptsJson, chatWithFallback, ChainFailedError, ChainRefusedError,
  type Attempt, type ChainEntry, type ChainOptions, type ChatAnswer, type ChatRequest, type TokenLogprob, type TokenUsage,
} from './chain.js';
export { embedTexts, type EmbedOptions } from './embeddings.js';
export { addTokens, costOf, NO_TOKENS, stepUsage, usageJson, type ModelPrice, type StepUsage } from './usage.js';
export { askModel, combineCalls, type AskOptions, type ModelCall } from './ask.js';
export {
  chainEntries, chainEntrySchema, chainSchema, modelSettingsShape, PROVIDER_SLOTS, providerCredentials, settingsOf, type ProviderSlot,
} from './node-props.js';
export {
  askStructured, outputSchema, StructuredOutputError, STRUCTURED_MODE_HELP, STRUCTURED_MODE_LABELS, STRUCTURED_MODES,
  type OutputSchema, type StructuredAnswer, type StructuredMode,
} from './structured.js';
export {
  askWithConfidence, confidenceJson, confidenceMethodField, CONFIDENCE_METHODS, jsonValueProbability, meanTokenProbability, rateAnswer, spanProbability,
  statedConfidence, withLogprobs, type Confidence, type ConfidenceMethod, type ConfidenceSource, type ConfidentAnswer,
} from './confidence.js';
