import { Link } from '@remix-run/react';
import type { AiUsageFigures, AiUsageReport } from '../../../runtime/index.js';
import { costText, tokensText } from './format';

function FigureCells({ f }: { f: AiUsageFigures }) {
  return (
    <>
      <td className="num mono">{f.steps}</td>
      <td className="num mono">{tokensText(f.promptTokens)}</td>
      <td className="num mono">{tokensText(f.completionTokens)}</td>
      <td className="num mono">{tokensText(f.totalTokens)}</td>
      <td className={`num mono${f.unpricedSteps >= f.steps && f.unpricedSteps > 0 ? ' muted' : ''}`}>{costText(f)}</td>
    </>
  );
}

const FIGURE_HEADS = (
  <><th className="num">AI steps</th><th className="num">Prompt</th><th className="num">Completion</th><th className="num">Tokens</th><th className="num">Cost</th></>
);

/** Usage per flow, most expensive first; a flow's name links to its editor. */
export function FlowUsageTable({ rows }: { rows: AiUsageReport['byFlow'] }) {
  return (
    <table className="list" aria-label="Usage per flow">
      <thead><tr><th>Flow</th>{FIGURE_HEADS}</tr></thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.flowId} data-flow-id={r.flowId}>
            <td>{r.flowName === null ? <span className="muted">Deleted flow</span> : <Link to={`/flows/${r.flowId}`}>{r.flowName}</Link>}</td>
            <FigureCells f={r} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Usage per provider (the credential's preset) and model, most expensive first. */
export function ProviderUsageTable({ rows }: { rows: AiUsageReport['byProvider'] }) {
  return (
    <table className="list" aria-label="Usage per provider and model">
      <thead><tr><th>Provider</th><th>Model</th>{FIGURE_HEADS}</tr></thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.provider}/${r.model}`} data-provider={r.provider} data-model={r.model}>
            <td>{r.provider}</td>
            <td className="mono">{r.model}</td>
            <FigureCells f={r} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}
