import type { StepRecord } from '../../../runtime/services/types.js';
import { DataView } from '../ui/JsonTree';
import { StatusBadge } from '../ui/bits';
import { PinnedBadge } from './PinnedOutput';

/** One step of a run: status, timing, then its input, output (per port) and error. */
export function StepData({ step, onRerunFrom, pinned, onPin }: {
  step: StepRecord;
  onRerunFrom?(stepKey: string): void;
  /** Whether this node's output is pinned for the next test runs. */
  pinned?: boolean;
  /** Pins this step's output; absent when pinning is not possible (read-only, no output). */
  onPin?(): void;
}) {
  return (
    <div className="step-data stack" data-testid={`step-${step.nodeId}`}>
      <div className="row">
        <StatusBadge status={step.status} />
        {pinned && <PinnedBadge />}
        <span className="muted grow">{step.durationMs !== null ? `${step.durationMs} ms` : 'running'}{step.attempt > 1 ? ` · try ${step.attempt}` : ''}</span>
        {onPin && step.output && step.status === 'succeeded' && (
          <button type="button" className="small" onClick={onPin} title="Reuse this output in the next test runs instead of running this step">
            {pinned ? 'Pin this output instead' : 'Pin output'}
          </button>
        )}
        {onRerunFrom && <button type="button" className="small" onClick={() => onRerunFrom(step.stepKey)}>Re-run from here</button>}
      </div>
      {step.error && <div className="banner error" role="alert"><strong>Error:</strong> {step.error.message}</div>}
      <h3>Input</h3>
      <DataView value={step.input ?? undefined} label="Input" />
      <h3>Output{step.output && Object.keys(step.output).length > 1 ? 's' : ''}</h3>
      {step.output ? <PortOutputs output={step.output} /> : <p className="muted">No output.</p>}
    </div>
  );
}

/** Output messages by port; the port is named unless it is the only one, `main`. */
export function PortOutputs({ output }: { output: Record<string, unknown> }) {
  const ports = Object.keys(output);
  return (
    <>
      {Object.entries(output).map(([port, value]) => (
        <div key={port}>{ports.length > 1 || port !== 'main' ? <div className="muted">on “{port}”</div> : null}<DataView value={value} label={`Output ${port}`} /></div>
      ))}
    </>
  );
}
