import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { InboundEvent } from '@switchyard/sdk';
import { patternProblem } from './text-filter.js';
import { checkTriggerFilter, matchesTriggerFilter, triggerFilterFields } from './trigger-filter.js';

const props = z.object(triggerFilterFields(['message', 'status'], { message: 'Messages', status: 'Statuses' }, ['message'])).superRefine(checkTriggerFilter);

function message(text: string, messageType = 'text'): InboundEvent {
  return { id: 'm1', type: 'message', message: { providerMessageId: 'm1', messageType, text }, data: {} };
}
const status: InboundEvent = { id: 's1', type: 'status', status: { providerMessageId: 'm1', status: 'delivered', at: 1 }, data: {} };

describe('shared trigger filter', () => {
  it('starts on messages by default and never on statuses unless they are picked', () => {
    const defaults = props.parse({});
    expect(matchesTriggerFilter(message('hi'), defaults)).toBe(true);
    expect(matchesTriggerFilter(status, defaults)).toBe(false);
    expect(matchesTriggerFilter(status, props.parse({ events: ['status'] }))).toBe(true);
    expect(matchesTriggerFilter(message('hi'), props.parse({ events: ['status'] }))).toBe(false);
  });

  it('filters on message type, keyword (case-insensitive) and pattern (with its flags)', () => {
    expect(matchesTriggerFilter(message('', 'image'), props.parse({ messageTypes: ['text'] }))).toBe(false);
    expect(matchesTriggerFilter(message('x', 'text'), props.parse({ messageTypes: ['text'] }))).toBe(true);
    const keyword = props.parse({ textFilter: 'contains', pattern: 'Order' });
    expect(matchesTriggerFilter(message('where is my ORDER?'), keyword)).toBe(true);
    expect(matchesTriggerFilter(message('hello'), keyword)).toBe(false);
    const regex = props.parse({ textFilter: 'regex', pattern: '/^stop\\b/i' });
    expect(matchesTriggerFilter(message('STOP now'), regex)).toBe(true);
    expect(matchesTriggerFilter(message('do not stop'), regex)).toBe(false);
  });

  it('refuses a bad or runaway pattern, and a missing keyword, as props errors naming the field', () => {
    const bad = props.safeParse({ textFilter: 'regex', pattern: '(unclosed' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['pattern'], message: expect.stringContaining('invalid pattern') });
    expect(props.safeParse({ textFilter: 'regex', pattern: '(a+)+$' }).error?.issues[0]?.message).toMatch(/a repeated group/);
    expect(props.safeParse({ textFilter: 'contains', pattern: '' }).error?.issues[0]?.message).toMatch(/enter the keyword/);
    expect(patternProblem('(\\w*)*x')).toBeDefined();
    expect(patternProblem('((ab){2,})+')).toBeDefined();
    expect(patternProblem('[(a+)]+')).toBeUndefined();
    expect(patternProblem('(order|track) \\d+')).toBeUndefined();
  });
});
