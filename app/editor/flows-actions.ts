import type { FlowDocument } from '../../runtime/flow/document.js';
import type { FlowRecord } from '../../runtime/services/types.js';
import { api } from './api';

/** Flow operations the list page and the editor share; each is one or two API calls. */

export async function renameFlow(id: string, name: string): Promise<FlowRecord> {
  const flow = await api<FlowRecord>(`/flows/${encodeURIComponent(id)}`);
  return api<FlowRecord>(`/flows/${encodeURIComponent(id)}`, { method: 'PUT', body: { ...flow.document, name } });
}

export async function duplicateFlow(id: string): Promise<FlowRecord> {
  const flow = await api<FlowRecord>(`/flows/${encodeURIComponent(id)}`);
  return api<FlowRecord>('/flows', { method: 'POST', body: { ...flow.document, name: `Copy of ${flow.name}`.slice(0, 200) } });
}

export async function setFlowActive(id: string, active: boolean): Promise<FlowRecord> {
  return api<FlowRecord>(`/flows/${encodeURIComponent(id)}/${active ? 'activate' : 'deactivate'}`, { method: 'POST' });
}

/** Saves the export as `<name>.flow.json` through a temporary link (no server round trip for the file name). */
export async function downloadExport(id: string, name: string): Promise<void> {
  const document = await api<FlowDocument>(`/flows/${encodeURIComponent(id)}/export`);
  const blob = new Blob([JSON.stringify(document, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = window.document.createElement('a');
  link.href = url;
  link.download = `${name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-|-$/g, '') || 'flow'}.flow.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Reads a chosen file as JSON; a parse failure is explained in plain words. */
export async function readJsonFile(file: File): Promise<unknown> {
  const text = await file.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`"${file.name}" is not a valid JSON file (${error instanceof Error ? error.message : 'parse error'}).`);
  }
}
