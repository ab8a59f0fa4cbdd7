export { createAiCache } from './cache.js';
export { createAiPriceService, modelPriceSchema, priceTableInput, type AiPriceService, type ModelPriceRow } from './prices.js';
export { executionAiUsage, type ExecutionAiUsage } from './usage.js';
