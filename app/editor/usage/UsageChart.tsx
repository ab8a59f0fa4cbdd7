import type { AiUsageReport } from '../../../runtime/index.js';
import { costText, tokensText } from './format';

const WIDTH = 720;
const HEIGHT = 200;
const PAD = { top: 12, right: 8, bottom: 28, left: 64 };

/** What the bars measure. */
export type UsageMeasure = 'tokens' | 'cost';

/** Day labels: every day up to 14 days, then fewer so they do not overlap. */
function labelEvery(days: number): number {
  return days <= 14 ? 1 : Math.ceil(days / 10);
}

/**
 * Tokens (or cost) per UTC day, one bar per day of the range (plain SVG, scaled by its viewBox).
 * Each bar carries its day and figures as data attributes and a tooltip.
 */
export function UsageChart({ report, measure }: { report: AiUsageReport; measure: UsageMeasure }) {
  const value = (d: AiUsageReport['byDay'][number]) => (measure === 'tokens' ? d.totalTokens : d.cost);
  const max = Math.max(...report.byDay.map(value));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / report.byDay.length;
  const barW = Math.max(2, Math.min(40, slot * 0.7));
  const every = labelEvery(report.byDay.length);
  const maxLabel = measure === 'tokens' ? tokensText(max) : `$${max.toPrecision(2)}`;
  return (
    <figure className="usage-chart card pad">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${measure === 'tokens' ? 'Tokens' : 'Cost'} per day`} preserveAspectRatio="xMidYMid meet">
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} className="axis" />
        {max > 0 && <text x={PAD.left - 6} y={PAD.top + 4} textAnchor="end" className="tick">{maxLabel}</text>}
        <text x={PAD.left - 6} y={PAD.top + plotH} textAnchor="end" className="tick">0</text>
        {report.byDay.map((day, i) => {
          const h = max > 0 && value(day) > 0 ? Math.max(1, (value(day) / max) * plotH) : 0;
          const label = `${day.day}: ${tokensText(day.totalTokens)} tokens, ${costText(day)}, ${day.steps} AI step${day.steps === 1 ? '' : 's'}`;
          return (
            <g key={day.day}>
              <rect x={PAD.left + i * slot + (slot - barW) / 2} y={PAD.top + plotH - h} width={barW} height={h} className="bar"
                data-day={day.day} data-tokens={day.totalTokens} data-cost={day.cost}>
                <title>{label}</title>
              </rect>
              {i % every === 0 && (
                <text x={PAD.left + i * slot + slot / 2} y={HEIGHT - 8} textAnchor="middle" className="tick">{day.day.slice(5)}</text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="muted">{measure === 'tokens' ? 'Tokens' : 'Cost (USD, priced steps)'} per day (UTC)</figcaption>
    </figure>
  );
}
