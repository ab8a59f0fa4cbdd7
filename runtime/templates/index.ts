export { createTemplateService, type TemplateService, type TemplateServiceDeps } from './service.js';
export { loadTemplates, checkTemplate, checkTemplateFile, InvalidTemplateError, SHIPPED_TEMPLATES_DIR, type LoadedTemplate } from './loader.js';
export { upgradeDocument, TemplateVersionError } from './upgrade.js';
export {
  templateMetaSchema, templateListQuery, templateImportInput, teamTemplateInput, templateExportInput, TEAM_CATEGORY,
  type TemplateMeta, type TemplateMetaInput, type TemplateSummary, type TemplateDetail, type TemplateImportResult, type TemplateFile, type NodeUpgrade,
} from './schema.js';
