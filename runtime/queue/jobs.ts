import type { Json } from '@switchyard/sdk';
import type { ExecutionMode, Priority } from '../services/types.js';

/** The one BullMQ queue executions run on; its keys live under the configured prefix. */
export const EXECUTION_QUEUE = 'executions';

/**
 * Runs (or continues) one execution: one job per run of consecutive steps, not one per step
 * (docs/decisions/002). `input` rides along for fresh executions so the hot path reads nothing
 * from Postgres; resumed ones load their state.
 */
export interface RunJobData {
  executionId: string;
  workspaceId: string;
  flowId: string;
  version: number;
  triggerNodeId: string;
  mode: ExecutionMode;
  /** Trigger input, present only when small (the execution row always has it). */
  input?: Json;
  /** Reply channel of the web process waiting on a sync webhook. */
  replyTo?: string;
  /** What a sync caller gets if no Respond node answers: the last node's output, or an error. */
  respondMode?: 'lastNode' | 'respondNode';
  /** No earlier run of this execution can have recorded steps. */
  fresh: boolean;
  /** Publish live step events (manual runs from the editor). */
  live?: boolean;
  /** Test-run outputs used instead of running these nodes: node id → port → message. */
  pinned?: Record<string, Record<string, Json>>;
  /** A sub-flow execution: its end resumes the parent (saves a read for every other execution). */
  child?: boolean;
  /**
   * No execution row exists yet: a sync webhook whose caller gets no 2xx before the worker's first
   * commit, which inserts the row with the steps (decision 007). `input` is then always present.
   */
  deferred?: { priority: Priority; createdAt: number };
}

/** Fired by a BullMQ job scheduler for a Schedule trigger. */
export interface ScheduleJobData {
  workspaceId: string;
  flowId: string;
  nodeId: string;
}

/** Fired by a BullMQ job scheduler for a polling channel trigger (runtime/gateway/poll.ts). */
export interface PollJobData {
  workspaceId: string;
  flowId: string;
  nodeId: string;
}

export interface JobDataByName {
  run: RunJobData;
  schedule: ScheduleJobData;
  poll: PollJobData;
}
export type JobName = keyof JobDataByName;

/** BullMQ: lower number = served first. Every level is explicit so "normal" never overtakes "high". */
export const PRIORITY: Record<Priority, number> = { high: 1, normal: 2, low: 3 };

/** Trigger inputs above this size stay in Postgres only, keeping Redis for what is in flight. */
export const MAX_INLINE_INPUT_BYTES = 16 * 1024;

export function schedulerKey(flowId: string, nodeId: string): string {
  return `schedule:${flowId}:${nodeId}`;
}

export function pollerKey(flowId: string, nodeId: string): string {
  return `poll:${flowId}:${nodeId}`;
}
