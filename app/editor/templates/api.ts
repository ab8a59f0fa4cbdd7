import type { NodeCatalogEntry } from '../../../runtime/services/types.js';
import type { TemplateDetail, TemplateFile, TemplateImportResult, TemplateSummary } from '../../../runtime/index.js';
import { api } from '../api';

export type { TemplateDetail, TemplateFile, TemplateImportResult, TemplateSummary };

/** `GET /api/templates` with the query the gallery shows. */
export function listTemplates(query: { search?: string; category?: string }, signal?: AbortSignal) {
  const params = new URLSearchParams();
  if (query.search) params.set('search', query.search);
  if (query.category) params.set('category', query.category);
  const qs = params.toString();
  return api<{ templates: TemplateSummary[]; categories: string[] }>(`/templates${qs ? `?${qs}` : ''}`, { signal });
}

export const getTemplate = (id: string) => api<TemplateDetail>(`/templates/${encodeURIComponent(id)}`);

export const importTemplate = (id: string, credentials: Record<string, string>) =>
  api<TemplateImportResult & { flow: { id: string } }>(`/templates/${encodeURIComponent(id)}/import`, { method: 'POST', body: { credentials } });

export const nodeCatalog = () => api<NodeCatalogEntry[]>('/nodes');

/** Saves the browser's copy of a `{ template, flow }` file as `<name>.template.json`. */
export function downloadTemplateFile(file: TemplateFile) {
  const blob = new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `${file.template.title.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'flow'}.template.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
