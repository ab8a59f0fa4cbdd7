import type { Json } from '@switchyard/sdk';

/** A step row as the step statements insert it (one element of INSERT_STEPS' parameter). */
export interface StepRecord {
  execution_id: string;
  workspace_id: string;
  step_key: string;
  node_id: string;
  node_type: string;
  status: 'succeeded' | 'failed' | 'waiting';
  attempt: number;
  input: Json;
  /** Set instead of `input` when the input is an earlier payload (payload-refs.ts). */
  input_ref: string | null;
  output: Record<string, Json> | null;
  output_refs: Record<string, string> | null;
  error: { message: string; code?: string; nodeId?: string; details?: Json } | null;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  seq: number;
}

// jsonb_to_recordset turns one parameter into many rows: one round trip whatever the batch size.
export const INSERT_STEPS = `insert into execution_steps
  (execution_id, workspace_id, step_key, node_id, node_type, status, attempt, input, input_ref, output, output_refs, error, started_at, finished_at, duration_ms, seq)
  select execution_id, workspace_id, step_key, node_id, node_type, status, attempt, input, input_ref, output, output_refs, error, started_at, finished_at, duration_ms, seq
  from jsonb_to_recordset(?::jsonb) as x(execution_id text, workspace_id text, step_key text, node_id text, node_type text,
    status text, attempt int, input jsonb, input_ref text, output jsonb, output_refs jsonb, error jsonb, started_at timestamptz,
    finished_at timestamptz, duration_ms double precision, seq int)`;
