import { z } from 'zod';

/** The flow document format id (DESIGN §3). */
export const FLOW_FORMAT = 'switchyard/flow@1';

const id = z.string().min(1).max(120).regex(/^[A-Za-z0-9_.:-]+$/, 'ids use letters, digits, _ . : -');

export const retrySettingsSchema = z.object({
  /** Total tries including the first. Default: 1 (no retry). */
  attempts: z.number().int().min(1).max(20).default(1),
  backoff: z.enum(['fixed', 'exponential']).default('exponential'),
  /** Base delay; exponential doubles it per attempt, with ±20% jitter. Default: 1000 ms. */
  delayMs: z.number().int().min(0).max(86_400_000).default(1000),
});

export const nodeSettingsSchema = z.object({
  retry: retrySettingsSchema.optional(),
  /** Per-step timeout. Default: 30 000 ms. */
  timeoutMs: z.number().int().min(1).max(3_600_000).optional(),
  /** `stop` fails the execution, `continue` passes `{ error }` on, `route` sends it to the `error` port. Default: stop. */
  onError: z.enum(['stop', 'continue', 'route']).optional(),
});
export type NodeSettings = z.infer<typeof nodeSettingsSchema>;

export const flowNodeSchema = z.object({
  id,
  type: z.string().min(1),
  typeVersion: z.number().int().min(1),
  position: z.object({ x: z.number(), y: z.number() }),
  label: z.string().max(200).optional(),
  /** Validated against the node type's props schema, not here. */
  props: z.record(z.string(), z.unknown()).default({}),
  settings: nodeSettingsSchema.optional(),
  /** Credential slot name → key of the document's `credentials` map. */
  credentials: z.record(z.string(), z.string()).optional(),
  disabled: z.boolean().optional(),
});
export type FlowNode = z.infer<typeof flowNodeSchema>;

export const flowEdgeSchema = z.object({
  id,
  source: id,
  sourceHandle: z.string().min(1).default('main'),
  target: id,
  targetHandle: z.string().min(1).default('main'),
});
export type FlowEdge = z.infer<typeof flowEdgeSchema>;

export const flowCredentialRefSchema = z.object({
  kind: z.string().min(1),
  name: z.string().optional(),
  /** Workspace credential id this slot is bound to (absent in exports). */
  id: z.string().optional(),
});

export const flowSettingsSchema = z.object({
  /** Executions of this flow running at once across all workers. Default: unlimited. */
  concurrency: z.number().int().min(1).max(10_000).optional(),
  priority: z.enum(['high', 'normal', 'low']).optional(),
  /** Sync webhook wait before answering 202 with the execution id. Default: 30 000 ms. */
  syncTimeoutMs: z.number().int().min(100).max(300_000).optional(),
});

export const flowDocumentSchema = z.object({
  format: z.literal(FLOW_FORMAT),
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  nodes: z.array(flowNodeSchema).max(5000),
  edges: z.array(flowEdgeSchema).max(20_000),
  credentials: z.record(z.string(), flowCredentialRefSchema).default({}),
  settings: flowSettingsSchema.optional(),
});
export type FlowDocument = z.infer<typeof flowDocumentSchema>;
/** What a client sends: defaults not yet applied. */
export type FlowDocumentInput = z.input<typeof flowDocumentSchema>;
