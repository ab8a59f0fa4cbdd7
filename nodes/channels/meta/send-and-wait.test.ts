import { describe, expect, it } from 'vitest';
import { NonRetryableError, type JsonObject, type ResumeEvent } from '@switchyard/sdk';
import { channelsOf, routeChoice, routeReply } from './send-and-wait.js';

const choices = [{ id: 'yes', title: 'Yes please' }, { id: 'no', title: 'No' }];
const reply = (message: JsonObject): ResumeEvent => ({ kind: 'event', name: 'channel-reply', payload: { eventType: 'message', contact: { id: '1' }, message } });

describe('send and wait routing', () => {
  it('routes a reply to `reply` and a timer to `timeout` with the step input', () => {
    expect(routeReply(reply({ text: 'hi' }), { asked: true })).toEqual({ reply: { eventType: 'message', contact: { id: '1' }, message: { text: 'hi' } } });
    expect(routeReply({ kind: 'timer' }, { asked: true })).toEqual({ timeout: { asked: true } });
  });

  it('routes a choice by the button id the answer carries, then by typed button text, else to other', () => {
    expect(Object.keys(routeChoice(reply({ choice: { id: 'no', title: 'No' }, text: 'No' }), null, choices))).toEqual(['no']);
    expect(Object.keys(routeChoice(reply({ text: '  yes PLEASE ' }), null, choices))).toEqual(['yes']);
    expect(Object.keys(routeChoice(reply({ text: 'maybe' }), null, choices))).toEqual(['other']);
    expect(Object.keys(routeChoice(reply({ choice: { id: 'stale' } }), null, choices))).toEqual(['other']);
    expect(routeChoice({ kind: 'timer' }, 'in', choices)).toEqual({ timeout: 'in' });
  });

  it('fails the step when what was awaited failed', () => {
    const failed: ResumeEvent = { kind: 'event', name: 'channel-reply', payload: null, error: { message: 'the conversation was deleted', code: 'gone' } };
    expect(() => routeReply(failed, null)).toThrow(NonRetryableError);
    expect(() => routeReply(failed, null)).toThrow('the conversation was deleted');
  });

  it('needs the conversation store', () => {
    expect(() => channelsOf({})).toThrow(/conversation store/);
  });
});
