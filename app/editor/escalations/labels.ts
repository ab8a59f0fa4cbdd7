import type { EscalationSummary } from '../../../runtime/index.js';

/** The inbox's words for an escalation's state, and the badge tone it shows in. */
export function statusLabel(e: Pick<EscalationSummary, 'status' | 'action'>): { label: string; tone: string } {
  if (e.status === 'open') return { label: 'Waiting for a decision', tone: 'waiting' };
  if (e.status === 'timeout') return { label: 'Timed out', tone: 'cancelled' };
  if (e.status === 'rejected') return { label: 'Rejected', tone: 'failed' };
  if (e.action === 'edit') return { label: 'Edited and approved', tone: 'succeeded' };
  if (e.action === 'reply') return { label: 'Answered by a person', tone: 'succeeded' };
  return { label: 'Approved', tone: 'succeeded' };
}

/** The list's filters as they are kept in the URL. */
export const STATUS_FILTERS = [
  { value: 'open', label: 'Waiting' },
  { value: 'approved', label: 'Approved' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'timeout', label: 'Timed out' },
];

/** Age filters: `min` waits at least that long, `max` arrived within it (minutes). */
export const AGE_FILTERS = [
  { value: 'max:60', label: 'Last hour' },
  { value: 'max:1440', label: 'Last 24 hours' },
  { value: 'min:60', label: 'Waiting over an hour' },
  { value: 'min:1440', label: 'Waiting over a day' },
];

/** The API query of an age filter value. */
export function ageQuery(value: string): [string, string] | undefined {
  const [kind, minutes] = value.split(':');
  if (!minutes || !/^\d+$/.test(minutes)) return undefined;
  if (kind === 'min') return ['minAgeMinutes', minutes];
  if (kind === 'max') return ['maxAgeMinutes', minutes];
  return undefined;
}
