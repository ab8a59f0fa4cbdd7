import type { StateCreator } from 'zustand';
import type { Problem } from '../../../runtime/errors.js';
import type { ExecutionEvent, ExecutionRecord, ExecutionStatus, StepRecord } from '../../../runtime/services/types.js';
import type { EditorState } from './store';
import type { NodeRunStatus } from './types';

/** Validation problems from the server, indexed by node for badges and inline field errors. */
export interface ValidationSlice {
  problems: Problem[];
  problemsByNode: Record<string, Problem[]>;
  setProblems(problems: Problem[]): void;
}

export function indexProblems(problems: Problem[], edges: { id: string; source: string }[]): Record<string, Problem[]> {
  const byNode: Record<string, Problem[]> = {};
  for (const problem of problems) {
    // An edge problem without a node is shown on the edge's source node.
    const nodeId = problem.nodeId ?? (problem.edgeId ? edges.find((e) => e.id === problem.edgeId)?.source : undefined);
    if (nodeId) (byNode[nodeId] ??= []).push(problem);
  }
  return byNode;
}

/** Field errors of one node: `props` paths (`["props","url"]`) keyed `url`, `conditions.0.left`. */
export function fieldErrors(problems: Problem[] | undefined): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const p of problems ?? []) {
    if (p.path?.[0] !== 'props' || p.path.length < 2) continue;
    const key = p.path.slice(1).join('.');
    // The validator prefixes `node "x": props.y: `; inline, next to the field, that is noise.
    errors[key] ??= p.message.replace(/^node "[^"]*":\s*/, '').replace(/^props(\.[\w.[\]]+)?:\s*/, '');
  }
  return errors;
}

export const createValidationSlice: StateCreator<EditorState, [], [], ValidationSlice> = (set, get) => ({
  problems: [],
  problemsByNode: {},
  setProblems(problems) {
    set({ problems, problemsByNode: indexProblems(problems, get().edges) });
  },
});

/** The run shown on the canvas: nodes light up from live events; step records fill the data panel. */
export interface RunSlice {
  run?: { executionId: string; status: ExecutionStatus };
  nodeStatus: Record<string, NodeRunStatus>;
  /** Latest recorded step per node in the shown run. */
  steps: Record<string, StepRecord>;
  /** How many steps each node ran in the shown run (a node in a loop runs once per item). */
  stepCounts: Record<string, number>;
  /** Last finished run's record: the expression picker's source of `$json` fields and node outputs. */
  lastRecord?: ExecutionRecord;
  startRun(executionId: string): void;
  applySnapshot(record: ExecutionRecord): void;
  applyEvent(event: ExecutionEvent): void;
  clearRun(): void;
}

export const createRunSlice: StateCreator<EditorState, [], [], RunSlice> = (set, get) => ({
  nodeStatus: {},
  steps: {},
  stepCounts: {},
  startRun(executionId) {
    // Every enabled node is "queued" until its step starts; nodes the run never reaches become "skipped".
    const nodeStatus: Record<string, NodeRunStatus> = {};
    for (const n of get().nodes) if (!n.data.disabled) nodeStatus[n.id] = 'queued';
    set({ run: { executionId, status: 'queued' }, nodeStatus, steps: {}, stepCounts: {} });
  },
  applySnapshot(record) {
    const steps: Record<string, StepRecord> = {};
    const counted: Record<string, number> = {};
    for (const step of record.steps) {
      steps[step.nodeId] = step;
      counted[step.nodeId] = (counted[step.nodeId] ?? 0) + 1;
    }
    const nodeStatus = { ...get().nodeStatus };
    for (const step of record.steps) nodeStatus[step.nodeId] = step.status;
    // The latest-per-node view carries the real counts; a full record is counted here.
    const stepCounts = record.nodeStepCounts ?? counted;
    set({ run: { executionId: record.id, status: record.status }, steps, stepCounts, nodeStatus: finalize(nodeStatus, record.status) });
    if (isFinal(record.status)) set({ lastRecord: record });
  },
  applyEvent(event) {
    const run = get().run;
    if (!run || run.executionId !== event.executionId) return;
    if (event.type === 'status') {
      set({ run: { ...run, status: event.status }, nodeStatus: finalize(get().nodeStatus, event.status) });
      return;
    }
    set({ nodeStatus: { ...get().nodeStatus, [event.nodeId]: event.status } });
  },
  clearRun() {
    set({ run: undefined, nodeStatus: {}, steps: {}, stepCounts: {} });
  },
});

function isFinal(status: ExecutionStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

/** Once the run is over, nodes still "queued" were never reached. */
function finalize(nodeStatus: Record<string, NodeRunStatus>, status: ExecutionStatus): Record<string, NodeRunStatus> {
  if (!isFinal(status)) return nodeStatus;
  const next: Record<string, NodeRunStatus> = {};
  for (const [id, s] of Object.entries(nodeStatus)) next[id] = s === 'queued' || s === 'running' ? 'skipped' : s;
  return next;
}
