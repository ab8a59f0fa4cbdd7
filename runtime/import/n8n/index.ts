export { convertN8nWorkflow, type ConvertOptions, type N8nImport } from './convert.js';
export type { ImportReport, NodeReport, NodeOutcome } from './report.js';
