export { createAiCache } from './cache.js';
export { createAiPriceService, modelPriceSchema, priceTableInput, type AiPriceService, type ModelPriceRow } from './prices.js';
export { executionAiUsage, type ExecutionAiUsage } from './usage.js';
export {
  aiUsageQuery, aiUsageReport, createAiUsageService, USAGE_MAX_DAYS, type AiUsageDayRow, type AiUsageFigures, type AiUsageFlowRow,
  type AiUsageProviderRow, type AiUsageQuery, type AiUsageReport, type AiUsageRow, type AiUsageService,
} from './usage-report.js';
