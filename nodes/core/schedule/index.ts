import { z } from 'zod';
import { CronExpressionParser } from 'cron-parser';
import { defineNode, ui } from '@switchyard/sdk';

/** cron-parser also accepts 3- or 4-field strings (filling the rest with `*`), which is rarely meant. */
const PREDEFINED = /^@(yearly|annually|monthly|weekly|daily|hourly|minutely|weekdays|weekends)$/;

/** Why `cron` is not a valid expression, or undefined when it is. */
export function cronProblem(cron: string): string | undefined {
  const text = cron.trim();
  if (!PREDEFINED.test(text)) {
    const fields = text.split(/\s+/).length;
    if (fields !== 5 && fields !== 6) {
      return `a cron expression has 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first; got ${fields}`;
    }
  }
  try {
    CronExpressionParser.parse(text);
    return undefined;
  } catch (error) {
    return `invalid cron expression "${text}": ${(error as Error).message}`;
  }
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const props = z.object({
  /** Five fields (`0 9-17 * * 1-5`), six with seconds first, or `@daily`, `@hourly`, … */
  cron: ui(
    z.string().trim().min(1, 'enter a cron expression').superRefine((cron, ctx) => {
      const problem = cronProblem(cron);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    {
      title: 'Schedule (cron)', widget: 'cron', placeholder: '0 9 * * 1-5',
      description: 'minute hour day-of-month month day-of-week, e.g. 0 9 * * 1-5 for 09:00 on weekdays',
    },
  ),
  /** IANA zone the cron fields are read in. Default: 'UTC'. */
  timezone: ui(
    z.string().trim().default('UTC').refine(isValidTimeZone, { message: 'unknown time zone; use an IANA name like Europe/Berlin' }),
    { title: 'Time zone', description: 'IANA time zone the schedule is read in, e.g. Europe/Berlin', placeholder: 'UTC' },
  ),
});

/** Starts an execution on a cron schedule; the input is what the runtime's scheduler passes (the fire time). */
export default defineNode({
  type: 'core.schedule',
  version: 1,
  title: 'Schedule',
  category: 'Triggers',
  description: 'Starts the flow on a schedule (cron)',
  icon: 'clock',
  props,
  ports: { in: [], out: ['main'] },
  trigger: { kind: 'schedule' },
  sideEffects: false,
  // Read by the scheduler at activation, outside any execution.
  literalProps: ['cron', 'timezone'],
  run(_ctx, input) {
    return { main: input };
  },
});
