import { Link } from '@remix-run/react';
import type { DecisionEntry } from '../../../runtime/index.js';
import { timeAgo } from '../api';
import { KIND_WORDS, outcomeColour, outcomeWord } from './outcomes';

/** Checks take milliseconds; a person deciding an escalation takes minutes or hours. */
function duration(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/**
 * The decisions behind a bar (or a rule), newest first: what was checked (PII already redacted by
 * the recorder, rendered as text, never as HTML), the outcome, the rules that fired with their
 * scores, the latency, and links to the flow and the execution.
 */
export function DecisionList({ decisions }: { decisions: DecisionEntry[] }) {
  return (
    <ul className="decision-list card" aria-label="Decisions">
      {decisions.map((d) => (
        <li key={d.id} data-decision-id={d.id} data-outcome={d.outcome}>
          <div className="decision-top">
            <span className="badge" style={{ color: outcomeColour(d.outcome) }}>{outcomeWord(d.outcome)}</span>
            <span className="muted">{KIND_WORDS[d.kind] ?? d.kind} · {d.nodeType}</span>
            <span className="muted decision-time" title={d.at}>{timeAgo(d.at)}</span>
          </div>
          <p className="decision-text">{d.text ?? <span className="muted">No text recorded</span>}</p>
          <div className="decision-meta">
            {d.rules.length > 0 && (
              <span>{d.rules.map((r) => (d.scores[r] === undefined ? r : `${r} (${d.scores[r]!.toFixed(2)})`)).join(', ')}</span>
            )}
            {d.latencyMs !== null && <span className="muted" title="Time to decide">{duration(d.latencyMs)}</span>}
            <Link to={`/flows/${d.flowId}`}>{d.flowName ?? 'Deleted flow'}</Link>
            <Link to={`/executions/${d.executionId}`}>Execution</Link>
          </div>
        </li>
      ))}
    </ul>
  );
}
