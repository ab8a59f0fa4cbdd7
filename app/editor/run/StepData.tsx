import type { StepRecord } from '../../../runtime/services/types.js';
import { DataView } from '../ui/JsonTree';
import { StatusBadge } from '../ui/bits';

/** One step of a run: status, timing, then its input, output (per port) and error. */
export function StepData({ step, onRerunFrom }: { step: StepRecord; onRerunFrom?(stepKey: string): void }) {
  return (
    <div className="step-data stack" data-testid={`step-${step.nodeId}`}>
      <div className="row">
        <StatusBadge status={step.status} />
        <span className="muted grow">{step.durationMs !== null ? `${step.durationMs} ms` : 'running'}{step.attempt > 1 ? ` · try ${step.attempt}` : ''}</span>
        {onRerunFrom && <button type="button" className="small" onClick={() => onRerunFrom(step.stepKey)}>Re-run from here</button>}
      </div>
      {step.error && <div className="banner error" role="alert"><strong>Error:</strong> {step.error.message}</div>}
      <h3>Input</h3>
      <DataView value={step.input ?? undefined} label="Input" />
      <h3>Output{step.output && Object.keys(step.output).length > 1 ? 's' : ''}</h3>
      {step.output ? Object.entries(step.output).map(([port, value]) => (
        <div key={port}>{Object.keys(step.output!).length > 1 || port !== 'main' ? <div className="muted">on “{port}”</div> : null}<DataView value={value} label={`Output ${port}`} /></div>
      )) : <p className="muted">No output.</p>}
    </div>
  );
}
