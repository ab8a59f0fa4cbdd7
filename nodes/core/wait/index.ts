import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';

export const UNIT_MS = { seconds: 1_000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

/** The longest delay (365 days), as for the resume timeout: past it a delay is surely a typo. */
const MAX_DELAY_MS = 365 * UNIT_MS.days;

/** Date.parse also accepts "1" or "May 5"; a deliberate date starts with YYYY-MM-DD. */
export function parseIsoDate(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(text.trim())) return undefined;
  const time = Date.parse(text.trim());
  return Number.isNaN(time) ? undefined : time;
}

const props = z.object({
  /** Default: 'delay'. */
  mode: ui(z.enum(['delay', 'until', 'resume']).default('delay'), {
    title: 'Wait for',
    description: 'What ends the wait. For a resume, send {{ $execution.resumeUrl }} to whoever decides (in an email or a message before this node); a POST to it continues the flow with the posted JSON.',
    enumLabels: {
      delay: 'A period of time',
      until: 'A date and time',
      resume: 'A call to the resume URL (e.g. a human approval)',
    },
  }),
  /** Delay mode: how many `unit`s to wait. Default: 1. */
  amount: ui(z.number().min(0).default(1), { title: 'Amount', description: 'Delay mode: how long to wait, in the unit below' }),
  /** Delay mode. Default: 'minutes'. */
  unit: ui(z.enum(['seconds', 'minutes', 'hours', 'days']).default('minutes'), {
    title: 'Unit', description: 'Delay mode: unit of the amount',
    enumLabels: { seconds: 'Seconds', minutes: 'Minutes', hours: 'Hours', days: 'Days' },
  }),
  /** Until mode: ISO 8601 date-time, e.g. `2025-01-31T09:00:00Z`; a past date continues at once. */
  until: ui(z.string().trim().optional(), {
    title: 'Until', description: 'Until mode: ISO date and time, e.g. 2025-01-31T09:00:00Z or {{ $json.remindAt }}',
    placeholder: '2025-01-31T09:00:00Z',
  }),
  /** Resume mode: give up waiting after this long and pass the input on. Default: wait forever. */
  timeoutMs: ui(z.number().int().min(1).max(31_536_000_000, 'at most a year').optional(), {
    title: 'Timeout (ms)', description: 'Resume mode: continue with the incoming message if nobody resumes within this time',
  }),
}).superRefine((value, ctx) => {
  if (value.mode === 'delay' && value.amount * UNIT_MS[value.unit] > MAX_DELAY_MS) {
    ctx.addIssue({ code: 'custom', path: ['amount'], message: 'a delay is at most a year (365 days); use "A date and time" for later' });
  }
  if (value.mode !== 'until') return;
  if (value.until === undefined || value.until === '') {
    ctx.addIssue({ code: 'custom', path: ['until'], message: 'enter the date and time to wait until' });
  } else if (parseIsoDate(value.until) === undefined) {
    ctx.addIssue({ code: 'custom', path: ['until'], message: `"${value.until}" is not an ISO date such as 2025-01-31T09:00:00Z` });
  }
});

/**
 * Parks the execution durably (no worker is held) for a delay, until a date, or until someone calls the
 * resume URL. On resume it emits the resume call's body; after a timer it emits the incoming message.
 */
export default defineNode({
  type: 'core.wait',
  version: 1,
  title: 'Wait',
  category: 'Flow',
  description: 'Pauses the flow for a time, until a date, or until it is resumed by a call',
  icon: 'hourglass',
  props,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: false,
  run(ctx, input, { mode, amount, unit, until, timeoutMs }) {
    if (ctx.resumed) return { main: ctx.resumed.kind === 'resume' ? ctx.resumed.payload : input };
    const now = Date.now();
    if (mode === 'resume') return ctx.wait({ resumable: true, until: timeoutMs === undefined ? undefined : now + timeoutMs });
    // The schema guarantees a parseable date in until mode.
    const at = mode === 'delay' ? now + amount * UNIT_MS[unit] : (parseIsoDate(until ?? '') ?? now);
    // Nothing to wait for: parking and resuming at once would only cost a queue round trip.
    if (at <= now) return { main: input };
    return ctx.wait({ until: at });
  },
});
