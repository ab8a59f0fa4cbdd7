/**
 * The executions list's date range. The URL keeps the *choice* (`range=hour|today|7d|custom`, and
 * for custom `from`/`to` as local YYYY-MM-DD days), not fixed instants, so "last hour" still means
 * the last hour when the list refreshes or the link is opened later.
 */
export const RANGE_PRESETS = [
  { value: '', label: 'Any time' },
  { value: 'hour', label: 'Last hour' },
  { value: 'today', label: 'Today' },
  { value: '7d', label: 'Last 7 days' },
  { value: 'custom', label: 'Custom dates…' },
] as const;

export type RangeChoice = (typeof RANGE_PRESETS)[number]['value'];

export interface RangeParams {
  range: string | null;
  from: string | null;
  to: string | null;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Local midnight of a YYYY-MM-DD day (the date input's value), or undefined if it is not one. */
function localDay(text: string | null, addDays = 0): Date | undefined {
  const match = text ? DAY.exec(text) : null;
  if (!match) return undefined;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + addDays);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `since`/`until` ISO instants for the API (`until` exclusive), computed at `now`. */
export function rangeToQuery(params: RangeParams, now = new Date()): { since?: string; until?: string } {
  switch (params.range) {
    case 'hour':
      return { since: new Date(now.getTime() - 3_600_000).toISOString() };
    case 'today':
      return { since: new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString() };
    case '7d':
      return { since: new Date(now.getTime() - 7 * 86_400_000).toISOString() };
    case 'custom': {
      // The "to" day is included: the range ends at the midnight after it.
      const since = localDay(params.from);
      const until = localDay(params.to, 1);
      return { ...(since ? { since: since.toISOString() } : {}), ...(until ? { until: until.toISOString() } : {}) };
    }
    default:
      return {};
  }
}

/** A custom range whose end is before its start, in words for the page (the API would answer 400). */
export function rangeProblem(params: RangeParams): string | undefined {
  if (params.range !== 'custom') return undefined;
  const since = localDay(params.from);
  const until = localDay(params.to, 1);
  return since && until && since >= until ? 'The “to” date is before the “from” date.' : undefined;
}
