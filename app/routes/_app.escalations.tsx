import { useEffect, useState } from 'react';
import type { MetaFunction } from '@remix-run/node';
import { useOutlet, useSearchParams } from '@remix-run/react';
import type { EscalationPage } from '../../runtime/index.js';
import { api } from '~/editor/api';
import { EscalationsContext } from '~/editor/escalations/context';
import { EscalationList } from '~/editor/escalations/EscalationList';
import { AGE_FILTERS, ageQuery, STATUS_FILTERS } from '~/editor/escalations/labels';
import { usePolling } from '~/editor/conversations/usePolling';
import { FlowFilter, useFlows } from '~/editor/ui/FlowFilter';
import { EmptyState, ErrorBanner } from '~/editor/ui/bits';

export const meta: MetaFunction = () => [{ title: 'Escalations · Switchyard' }];

/** How often the list looks for new escalations while the tab is visible. */
const REFRESH_MS = 4000;

/**
 * What "Ask a human" steps are waiting on, newest first, filtered by status (waiting by default),
 * flow, assignee and age (kept in the URL); the open escalation (`/escalations/:id`) sits beside
 * the list.
 */
export default function Escalations() {
  const outlet = useOutlet();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'open';
  const flowId = params.get('flow') ?? '';
  const assignee = params.get('assignee') ?? '';
  const age = params.get('age') ?? '';
  const [typed, setTyped] = useState(assignee);
  const flows = useFlows();
  const [older, setOlder] = useState<EscalationPage>();


  const query = new URLSearchParams({ limit: '50' });
  if (status !== 'any') query.set('status', status);
  if (flowId) query.set('flowId', flowId);
  if (assignee) query.set('assignee', assignee);
  const ageParam = ageQuery(age);
  if (ageParam) query.set(...ageParam);
  const { data: page, error, reload } = usePolling(query.toString(), (signal) => api<EscalationPage>(`/escalations?${query}`, { signal }), REFRESH_MS);
  useEffect(() => { setOlder(undefined); }, [query.toString()]);

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value); else next.delete(key);
    setParams(next, { replace: true });
  };
  useEffect(() => {
    if (typed.trim() === assignee) return;
    const timer = setTimeout(() => setFilter('assignee', typed.trim()), 400);
    return () => clearTimeout(timer);
    // setFilter is rebuilt each render; only typing and the URL decide.
  }, [typed, assignee]);
  useEffect(() => { setTyped(assignee); }, [assignee]);

  async function loadOlder(before: string) {
    const next = new URLSearchParams(query);
    next.set('before', before);
    const more = await api<EscalationPage>(`/escalations?${next}`);
    setOlder((o) => ({ escalations: [...(o?.escalations ?? []), ...more.escalations], nextBefore: more.nextBefore }));
  }

  const search = params.toString() ? `?${params}` : '';
  const escalations = page ? [...page.escalations, ...(older?.escalations ?? [])] : undefined;
  const nextBefore = older ? older.nextBefore : page?.nextBefore ?? null;
  return (
    <div className="page-inner wide">
      <div className="page-head">
        <h1>Escalations</h1>
        <label className="row">Status
          <select aria-label="Filter by status" value={status} onChange={(e) => setFilter('status', e.target.value === 'open' ? '' : e.target.value)}>
            {STATUS_FILTERS.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
            <option value="any">Any status</option>
          </select>
        </label>
        <FlowFilter flows={flows} value={flowId} onChange={(id) => setFilter('flow', id)} />
        <label className="row">Age
          <select aria-label="Filter by age" value={age} onChange={(e) => setFilter('age', e.target.value)}>
            <option value="">Any age</option>
            {AGE_FILTERS.map((a) => <option key={a.value} value={a.value}>{a.label}</option>)}
          </select>
        </label>
        <input type="search" className="inbox-search" aria-label="Filter by assignee" placeholder="Assignee (email, phone, chat id)"
          value={typed} onChange={(e) => setTyped(e.target.value)} maxLength={320} />
      </div>
      <ErrorBanner message={error} />
      <div className="inbox">
        <div className="inbox-list">
          {escalations === undefined ? <p className="muted">Loading…</p> : escalations.length === 0 ? (
            <EmptyState title={status === 'open' ? 'Nothing is waiting for a person' : 'No escalations match'}>
              <p>An &ldquo;Ask a human&rdquo; step in a flow puts its question here and tells the people it names; the flow waits until one of them decides.</p>
            </EmptyState>
          ) : <EscalationList escalations={escalations} search={search} />}
          {nextBefore !== null && escalations && (
            <button type="button" className="small" onClick={() => void loadOlder(nextBefore)}>Show older escalations</button>
          )}
        </div>
        <EscalationsContext.Provider value={{ refreshList: reload }}>
          {outlet ?? (
            <div className="card pad inbox-placeholder muted">
              <p>Open an escalation to see the conversation and the drafted reply, and to approve, edit, reject or answer it.</p>
            </div>
          )}
        </EscalationsContext.Provider>
      </div>
    </div>
  );
}
