import type { DecisionSummary } from '../../../runtime/index.js';

/** The rules that fired most in the chart's range; clicking one lists the decisions it fired in. */
export function TopRules({ rules, selected, onSelect }: { rules: DecisionSummary['topRules']; selected: string; onSelect(rule: string): void }) {
  if (rules.length === 0) return <p className="muted">No rule fired in this range.</p>;
  const max = rules[0]!.count;
  return (
    <ol className="top-rules" aria-label="Rules that fire most">
      {rules.map((r) => (
        <li key={r.rule}>
          <button type="button" className={`link-button${selected === r.rule ? ' selected' : ''}`} aria-pressed={selected === r.rule} onClick={() => onSelect(selected === r.rule ? '' : r.rule)}>
            <span className="rule-name">{r.rule}</span>
            <span className="rule-count">{r.count}</span>
          </button>
          <span className="rule-bar" style={{ width: `${(r.count / max) * 100}%` }} aria-hidden="true" />
        </li>
      ))}
    </ol>
  );
}
