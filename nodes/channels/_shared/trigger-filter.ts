import { z } from 'zod';
import { ui, type InboundEvent } from '@switchyard/sdk';
import { checkTextFilter, pauseOnHandoffField, textFilterField, textMatches, textPatternField, type TextFilter } from './text-filter.js';

/**
 * The filter fields every channel trigger shares. Spread them into the trigger's props object and
 * pass the object through {@link checkTriggerFilter} so a bad pattern is a props error, not a crash.
 */
export function triggerFilterFields<const E extends readonly [string, ...string[]]>(
  eventTypes: E,
  labels: Record<E[number], string>,
  defaultEvents: E[number][],
) {
  return {
    /** Default: `defaultEvents` (messages; status updates never start a flow unless picked here). */
    events: ui(z.array(z.enum(eventTypes)).min(1, 'pick at least one event type').default(defaultEvents), {
      title: 'Events', description: 'Which events start the flow. Delivery statuses start it only when picked.', enumLabels: labels, expression: false,
    }),
    /** Default: every message type. */
    messageTypes: ui(z.array(z.string().trim().min(1)).default([]), {
      title: 'Message types', description: 'Only these message types (text, image, audio, …); empty: all', expression: false,
    }),
    /** Default: 'any' (the shared text filter, `text-filter.ts`). */
    textFilter: textFilterField,
    /** The keyword or pattern for `textFilter`. Default: none. */
    pattern: textPatternField,
    /** Default: true. */
    pauseOnHandoff: pauseOnHandoffField,
  };
}

/** The props the shared filter reads. */
export interface TriggerFilter {
  events: readonly string[];
  messageTypes: readonly string[];
  textFilter: TextFilter;
  pattern?: string;
  pauseOnHandoff: boolean;
}

/**
 * The checks of the shared filter fields (a keyword or pattern is given when needed, and compiles
 * safely): `z.object({ ...triggerFilterFields(…), … }).superRefine(checkTriggerFilter)`.
 */
export const checkTriggerFilter = checkTextFilter;

/**
 * Whether `event` passes the shared filter: its type is picked; for message-like events, its message
 * type is among the picked ones (when any) and its text (or the tapped choice's title) matches.
 */
export function matchesTriggerFilter(event: InboundEvent, props: TriggerFilter): boolean {
  if (!props.events.includes(event.type)) return false;
  if (event.type === 'status') return true;
  const message = event.message;
  if (props.messageTypes.length > 0 && !props.messageTypes.includes(message?.messageType ?? 'unknown')) return false;
  return textMatches(message?.text ?? message?.choice?.title, props.textFilter, props.pattern);
}
