import { describe, expect, it } from 'vitest';
import { runNode } from '../../testing.js';
import schedule, { cronProblem } from './index.js';

describe('core.schedule', () => {
  it('passes the scheduler input on', async () => {
    expect(await runNode(schedule, { firedAt: '2025-01-01T00:00:00Z' }, { cron: '0 9 * * 1-5' })).toEqual({
      main: { firedAt: '2025-01-01T00:00:00Z' },
    });
  });

  it('defaults the time zone to UTC', () => {
    expect(schedule.props.parse({ cron: '@daily' })).toEqual({ cron: '@daily', timezone: 'UTC' });
  });

  it.each(['*/5 * * * *', '0 9 * * 1-5', '30 0 9 * * MON', '@hourly'])('accepts %s', (cron) => {
    expect(cronProblem(cron)).toBeUndefined();
  });

  it('explains a wrong field count', () => {
    expect(cronProblem('* * * *')).toMatch(/5 fields .* got 4/);
  });

  it('explains an out-of-range field', () => {
    const result = schedule.props.safeParse({ cron: '61 * * * *' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/invalid cron expression "61 \* \* \* \*".*0-59/);
    expect(result.error?.issues[0]?.path).toEqual(['cron']);
  });

  it('validates the time zone', () => {
    expect(schedule.props.safeParse({ cron: '@daily', timezone: 'Asia/Kolkata' }).success).toBe(true);
    const result = schedule.props.safeParse({ cron: '@daily', timezone: 'Mars/Olympus' });
    expect(result.error?.issues[0]).toMatchObject({ path: ['timezone'], message: expect.stringMatching(/IANA/) });
  });

  it('keeps cron and timezone literal', () => {
    expect(schedule.literalProps).toEqual(['cron', 'timezone']);
    expect(schedule.trigger).toEqual({ kind: 'schedule' });
  });
});
