import type { Json, WebhookResponse } from '@switchyard/sdk';
import type { ResumeResolution } from './step.js';
import type { ExecutionOutcome } from './step-store.js';

export type { ExecutionOutcome } from './step-store.js';

/** A parked step's wait as stored in `execution_waits`. */
export interface WaitRow {
  stepKey: string;
  until: Date | null;
  token: string | null;
  event: string | null;
  resolution: ResumeResolution | null;
}

export interface ExecutionInfo {
  id: string;
  workspaceId: string;
  flowId: string;
  mode: string;
  triggerNodeId: string;
  triggerInput: Json;
  /** Channel of the web process waiting for a sync webhook response. */
  replyTo?: string;
  /** Publish step starts/ends as they happen (editor test runs). Default: false. */
  live?: boolean;
  /** Pinned outputs (test runs): these nodes are not run; their pinned messages go on. */
  pinned?: Record<string, Record<string, Json>>;
  /**
   * Runs before this run does anything that lets a second job of the execution start — a wait row
   * (a reply, a timer, a resume URL or a finished sub-flow continues it) or a sub-flow — so the
   * worker takes the execution's lock only then, and a run that never parks never touches Redis
   * for it. Throws if the lock is held elsewhere. Default: none (the lock is held already).
   */
  beforePark?: () => Promise<void>;
}

export interface RunResult {
  outcome: ExecutionOutcome;
  /** Whether a Respond node already answered the sync caller. */
  responded: boolean;
  /**
   * A Respond node's answer that waited for the final commit (the deferred row, decision 007). The
   * caller sends it, with the status event in the same round trip to Redis.
   */
  heldResponse?: WebhookResponse;
  /** Earliest timer among still-pending waits (epoch ms). */
  nextWakeAt?: number;
}
