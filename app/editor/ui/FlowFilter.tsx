import { useEffect, useState } from 'react';
import type { FlowSummary } from '../../../runtime/services/types.js';
import { api } from '../api';

/** The workspace's flows, loaded once when the page opens (empty until then, and if the list fails: the filter is optional). */
export function useFlows(): FlowSummary[] {
  const [flows, setFlows] = useState<FlowSummary[]>([]);
  useEffect(() => { api<FlowSummary[]>('/flows').then(setFlows, () => {}); }, []);
  return flows;
}

/** The "Flow" filter of the list pages (executions, payments, escalations, decisions, usage): '' is every flow. */
export function FlowFilter({ flows, value, onChange }: { flows: readonly FlowSummary[]; value: string; onChange: (flowId: string) => void }) {
  return (
    <label className="row">Flow
      <select aria-label="Filter by flow" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All flows</option>
        {flows.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
      </select>
    </label>
  );
}
