import type { DecisionSummary } from '../../../runtime/index.js';
import { outcomeColour, outcomeWord } from './outcomes';

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { top: 12, right: 8, bottom: 28, left: 36 };

/** Day labels: every day up to 14 days, then fewer so they do not overlap. */
function labelEvery(days: number): number {
  return days <= 14 ? 1 : Math.ceil(days / 10);
}

/**
 * Decisions per day, one stacked bar per day, one segment per outcome (plain SVG, scaled by its
 * viewBox). Each segment is a button: clicking it (or Enter/Space on it) opens the decisions of
 * that day and outcome. `selected` outlines the open one.
 */
export function DecisionChart({ summary, selected, onSelect }: {
  summary: DecisionSummary;
  selected: { day: string; outcome: string } | undefined;
  onSelect(day: string, outcome: string): void;
}) {
  const max = Math.max(1, ...summary.days.map((d) => d.total));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / summary.days.length;
  const barW = Math.max(2, Math.min(40, slot * 0.7));
  const every = labelEvery(summary.days.length);
  const y = (count: number) => (count / max) * plotH;
  return (
    <figure className="decision-chart card pad">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="group" aria-label="Decisions per day by outcome" preserveAspectRatio="xMidYMid meet">
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} className="axis" />
        <text x={PAD.left - 6} y={PAD.top + 4} textAnchor="end" className="tick">{max}</text>
        <text x={PAD.left - 6} y={PAD.top + plotH} textAnchor="end" className="tick">0</text>
        {summary.days.map((day, i) => {
          const x = PAD.left + i * slot + (slot - barW) / 2;
          let top = PAD.top + plotH;
          return (
            <g key={day.day} data-day={day.day}>
              <title>{`${day.day}: ${day.total} decision${day.total === 1 ? '' : 's'}`}</title>
              {summary.outcomes.filter((o) => (day.outcomes[o] ?? 0) > 0).map((outcome) => {
                const count = day.outcomes[outcome]!;
                const h = Math.max(1, y(count));
                top -= h;
                const isSelected = selected?.day === day.day && selected.outcome === outcome;
                const label = `${day.day}: ${count} ${outcomeWord(outcome).toLowerCase()}`;
                return (
                  <rect key={outcome} x={x} y={top} width={barW} height={h} fill={outcomeColour(outcome)}
                    className={`bar${isSelected ? ' selected' : ''}`} data-outcome={outcome} data-count={count}
                    role="button" tabIndex={0} aria-label={label} aria-pressed={isSelected}
                    onClick={() => onSelect(day.day, outcome)}
                    onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect(day.day, outcome); } }}>
                    <title>{label}</title>
                  </rect>
                );
              })}
              {i % every === 0 && (
                <text x={PAD.left + i * slot + slot / 2} y={HEIGHT - 8} textAnchor="middle" className="tick">{day.day.slice(5)}</text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="decision-legend">
        {summary.outcomes.map((o) => (
          <span key={o}><span className="swatch" style={{ background: outcomeColour(o) }} aria-hidden="true" />{outcomeWord(o)}</span>
        ))}
      </figcaption>
    </figure>
  );
}
