import type { ReactNode } from 'react';
import type { Problem } from '../api';

const STATUS_WORDS: Record<string, string> = {
  queued: 'Queued', running: 'Running', waiting: 'Waiting', succeeded: 'Succeeded', failed: 'Failed',
  cancelled: 'Cancelled', skipped: 'Skipped',
};

/** Execution/step status as a coloured pill with a word (colour is never the only signal). */
export function StatusBadge({ status }: { status: string | undefined }) {
  if (!status) return <span className="muted">never run</span>;
  return <span className={`badge ${status}`} data-status={status}>{STATUS_WORDS[status] ?? status}</span>;
}

/** An on/off switch that is a real checkbox underneath (keyboard and screen readers work). */
export function Toggle({ checked, onChange, label, disabled }: { checked: boolean; onChange(next: boolean): void; label: string; disabled?: boolean }) {
  return (
    <label className="switch" title={label}>
      <input type="checkbox" role="switch" aria-label={label} checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
      <span aria-hidden="true" />
    </label>
  );
}

/** A red banner listing validation problems, each with the node it is about. */
export function ProblemList({ title, problems, nodeLabel }: { title: ReactNode; problems: Problem[]; nodeLabel?(id: string): string }) {
  return (
    <div role="alert" className="banner error">
      <strong>{title}</strong>
      {problems.length > 0 && (
        <ul className="problems">
          {problems.map((p, i) => (
            <li key={i}>
              {p.nodeId && <strong>{nodeLabel ? nodeLabel(p.nodeId) : p.nodeId}: </strong>}
              {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ErrorBanner({ message }: { message: string | undefined }) {
  return message ? <div role="alert" className="banner error">{message}</div> : null;
}

export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty card">
      <h2>{title}</h2>
      <div>{children}</div>
    </div>
  );
}
