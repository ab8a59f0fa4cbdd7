import { z } from 'zod';
import { isJsonObject, ui, type InboundEvent } from '@switchyard/sdk';
import { patternProblem } from '../../_shared/text-filter.js';
import { MESSAGE_TYPES, UPDATE_KIND_NAMES, type UpdateKind } from '../updates.js';

/** What the trigger listens to and how it filters: read on activation and for every event, never expressions. */

const UPDATE_LABELS: Record<UpdateKind, string> = {
  message: 'Messages',
  edited_message: 'Edited messages',
  channel_post: 'Channel posts',
  edited_channel_post: 'Edited channel posts',
  callback_query: 'Button presses (callback queries)',
  my_chat_member: 'The bot added, removed or blocked',
  chat_member: 'Members joining or leaving groups (the bot must be an admin)',
  message_reaction: 'Reactions (the bot must be an admin in groups)',
};

const MESSAGE_TYPE_LABELS: Record<(typeof MESSAGE_TYPES)[number], string> = {
  text: 'Text', photo: 'Photo', document: 'Document', animation: 'GIF', sticker: 'Sticker', voice: 'Voice message',
  video: 'Video', video_note: 'Video message', audio: 'Audio', location: 'Location', venue: 'Venue', contact: 'Contact card',
  poll: 'Poll', dice: 'Dice', unknown: 'Anything else (service messages, newer types)',
};

const TEXT_MATCHES = ['any', 'contains', 'equals', 'startsWith', 'regex'] as const;
/** Telegram's own limit on a message's text: a pattern never runs on more. */
const MAX_TEXT = 4096;

export const triggerProps = z.object({
  /** Default: messages and button presses. */
  updates: ui(z.array(z.enum(UPDATE_KIND_NAMES)).min(1, 'pick at least one kind of update').default(['message', 'callback_query']), {
    title: 'Listen to', description: 'The kinds of updates Telegram sends the bot (its allowed_updates)', enumLabels: UPDATE_LABELS,
  }),
  /** Default: every type. */
  messageTypes: ui(z.array(z.enum(MESSAGE_TYPES)).default([]), {
    title: 'Message types', description: 'Only messages of these types (empty: all)', enumLabels: MESSAGE_TYPE_LABELS,
  }),
  /** Default: any message. */
  commands: ui(z.string().trim().regex(/^(\/?[A-Za-z0-9_]{1,32}([\s,]+\/?[A-Za-z0-9_]{1,32})*)?$/, 'list commands like /start, /help').default(''), {
    title: 'Commands', description: 'Only messages that are one of these commands, e.g. /start, /help (empty: any message). Button presses are not filtered by it',
    placeholder: '/start, /help', expression: false,
  }),
  /** Default: any text. */
  textMatch: ui(z.enum(TEXT_MATCHES).default('any'), {
    title: 'Text', description: 'Filter on the message text (for button presses: the callback data)',
    enumLabels: { any: 'Any text', contains: 'Contains', equals: 'Is exactly', startsWith: 'Starts with', regex: 'Matches the regular expression' },
  }),
  /** Default: none. */
  textValue: ui(z.string().default(''), { title: 'Text to match', description: 'The word, phrase or regular expression', expression: false }),
  caseSensitive: ui(z.boolean().default(false), { title: 'Case sensitive', description: 'Tell upper and lower case apart' }),
  pauseOnHandoff: ui(z.boolean().default(true), {
    title: 'Pause when a person takes over', description: 'Skip chats a teammate has taken over in the Conversations inbox',
  }),
}).superRefine((p, ctx) => {
  if (p.textMatch === 'any') return;
  if (p.textValue === '') ctx.addIssue({ code: 'custom', path: ['textValue'], message: 'enter the text to match' });
  // Refuses patterns that do not compile and those that can take exponential time (matches runs in the web process).
  const problem = p.textMatch === 'regex' ? patternProblem(p.textValue) : undefined;
  if (problem) ctx.addIssue({ code: 'custom', path: ['textValue'], message: problem });
});
export type TriggerProps = z.infer<typeof triggerProps>;

/** `/start, help` → `['/start', '/help']`. */
export function commandList(commands: string): string[] {
  return commands.split(/[\s,]+/).filter(Boolean).map((c) => (c.startsWith('/') ? c : `/${c}`).toLowerCase());
}

// One compiled filter per props object: matches() runs for every event of every listening flow.
const compiled = new WeakMap<TriggerProps, { commands: string[]; test: (text: string) => boolean }>();

function filterOf(p: TriggerProps) {
  let filter = compiled.get(p);
  if (!filter) {
    const wanted = p.caseSensitive ? p.textValue : p.textValue.toLowerCase();
    const fold = (t: string) => (p.caseSensitive ? t : t.toLowerCase());
    const regex = p.textMatch === 'regex' ? new RegExp(p.textValue, p.caseSensitive ? '' : 'i') : undefined;
    const test = {
      any: () => true,
      contains: (t: string) => fold(t).includes(wanted),
      equals: (t: string) => fold(t).trim() === wanted.trim(),
      startsWith: (t: string) => fold(t).startsWith(wanted),
      regex: (t: string) => regex!.test(t.slice(0, MAX_TEXT)),
    }[p.textMatch];
    filter = { commands: commandList(p.commands), test };
    compiled.set(p, filter);
  }
  return filter;
}

/** Whether this trigger starts on `event`. */
export function matchesUpdate(event: InboundEvent, p: TriggerProps): boolean {
  const data = isJsonObject(event.data) ? event.data : {};
  const kind = data.updateKind;
  if (typeof kind !== 'string' || !(p.updates as string[]).includes(kind)) return false;
  const filter = filterOf(p);
  const isCallback = kind === 'callback_query';
  const isMessage = kind === 'message' || kind === 'edited_message' || kind === 'channel_post' || kind === 'edited_channel_post';
  if (isMessage && p.messageTypes.length > 0 && !(p.messageTypes as string[]).includes(String(data.messageType))) return false;
  if (isMessage && filter.commands.length > 0 && !(typeof data.command === 'string' && filter.commands.includes(data.command))) return false;
  if (p.textMatch === 'any') return true;
  const text = isCallback ? data.callbackData : data.text;
  return (isMessage || isCallback) && typeof text === 'string' && filter.test(text);
}
