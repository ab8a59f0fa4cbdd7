import { z } from 'zod';

/**
 * The parts of an n8n workflow export the importer reads. Loose on purpose: n8n adds fields with
 * every release, and anything unknown inside `parameters` travels on to placeholders untouched.
 */
const json = z.json();

export const n8nNodeSchema = z.object({
  id: z.string().optional(),
  name: z.string().min(1).max(500),
  type: z.string().min(1).max(300),
  typeVersion: z.number().optional(),
  position: z.tuple([z.number(), z.number()]).optional().catch(undefined),
  parameters: z.record(z.string(), json).default({}),
    /** Old exports name a credential by a bare string. */
  credentials: z.record(z.string(), z.union([
    z.object({ id: z.string().nullable().optional(), name: z.string().optional() }).passthrough(),
    z.string().transform((name) => ({ name, id: undefined })),
  ])).optional(),
  disabled: z.boolean().optional(),
  notes: z.string().optional(),
  retryOnFail: z.boolean().optional(),
  maxTries: z.number().nullable().optional(),
  waitBetweenTries: z.number().nullable().optional(),
  continueOnFail: z.boolean().optional(),
  onError: z.string().optional(),
}).passthrough();
export type N8nNode = z.infer<typeof n8nNodeSchema>;

const connectionSchema = z.object({ node: z.string(), type: z.string().default('main'), index: z.number().int().min(0).default(0) });
export type N8nConnection = z.infer<typeof connectionSchema>;

export const n8nWorkflowSchema = z.object({
  name: z.string().optional(),
  nodes: z.array(n8nNodeSchema).max(5000),
  /** Source node name → connection type (`main`, `ai_languageModel`, …) → per output index, the targets. */
  connections: z.record(z.string(), z.record(z.string(), z.array(z.array(connectionSchema).nullable()))).default({}),
  /** Node name → pinned items. */
  pinData: z.record(z.string(), z.array(json)).optional(),
  settings: z.record(z.string(), json).optional(),
}).passthrough();
export type N8nWorkflow = z.infer<typeof n8nWorkflowSchema>;

/** `n8n-nodes-base.httpRequest` → `httpRequest`; `@n8n/n8n-nodes-langchain.agent` → `langchain.agent`. */
export function shortType(type: string): string {
  if (type.startsWith('n8n-nodes-base.')) return type.slice('n8n-nodes-base.'.length);
  if (type.startsWith('@n8n/n8n-nodes-langchain.')) return `langchain.${type.slice('@n8n/n8n-nodes-langchain.'.length)}`;
  return type;
}
