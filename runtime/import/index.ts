/**
 * Importers from other automation tools (decision 039): a public entry point of the runtime for
 * `app/` (the import API, the CLI) and benches. Pure conversions; saving goes through the flow service.
 */
export { convertN8nWorkflow, type ConvertOptions, type N8nImport, type ImportReport, type NodeReport, type NodeOutcome } from './n8n/index.js';
export { parseUntrustedJson, assertSafeJsonValue, UntrustedDocumentError } from '../flow/untrusted.js';
