import { z } from 'zod';
import { isJsonObject, NonRetryableError, ui, type ChannelCapabilities, type Json, type PortOutputs, type ResumeEvent } from '@switchyard/sdk';

/** Ports a choice may not take: the fallbacks this node adds and the port `onError: route` adds. */
export const RESERVED_CHOICE_PORTS = new Set(['other', 'timeout', 'error']);

/** One button of a "send and wait for a choice": its id is also the output port it leads to. */
export function choiceSchema(titleMax: number) {
  return z.object({
    id: ui(z.string().trim().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'use lowercase letters, digits, - and _ (up to 40), like yes or talk-to-sales'), {
      title: 'Id (output)', description: 'The output this choice leads to, and the id the contact\'s answer carries', placeholder: 'yes', expression: false,
    }),
    title: ui(z.string().trim().min(1, 'enter the button text').max(titleMax, `at most ${titleMax} characters`), {
      title: 'Button text', description: `What the contact sees (up to ${titleMax} characters)`, placeholder: 'Yes',
    }),
  });
}

/** Adds an issue per reserved or repeated choice id. */
export function checkChoiceIds(choices: { id: string }[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  choices.forEach((choice, index) => {
    if (RESERVED_CHOICE_PORTS.has(choice.id)) ctx.addIssue({ code: 'custom', path: ['choices', index, 'id'], message: `"${choice.id}" is reserved; pick another id` });
    else if (seen.has(choice.id)) ctx.addIssue({ code: 'custom', path: ['choices', index, 'id'], message: `"${choice.id}" is used by an earlier choice` });
    seen.add(choice.id);
  });
}

/** How long to wait for the contact. Default: 24 hours (WhatsApp's and Instagram's reply window). */
export const waitTimeoutField = ui(z.number().int().min(1_000).max(30 * 86_400_000, 'at most 30 days').default(86_400_000), {
  title: 'Timeout (ms)', description: 'Continue on "timeout" when the contact has not answered within this time (default 24 hours)',
});

/** The conversation store, which send-and-wait cannot work without. */
export function channelsOf(ctx: { channels?: ChannelCapabilities }): ChannelCapabilities {
  if (!ctx.channels) throw new NonRetryableError('send and wait needs the conversation store, which this runtime does not offer', { code: 'no_conversations' });
  return ctx.channels;
}

/**
 * The contact's answer from a resumed step, or 'timeout'. A resumed run never sends again: the
 * message went out on the first run, before the execution parked.
 */
export function resumedReply(resumed: ResumeEvent): Json | 'timeout' {
  if (resumed.kind === 'timer') return 'timeout';
  if (resumed.kind === 'event' && resumed.error) throw new NonRetryableError(resumed.error.message, { code: resumed.error.code ?? 'wait_failed' });
  return resumed.payload;
}

/** `reply` with the contact's message, or `timeout` with the step's input. */
export function routeReply(resumed: ResumeEvent, input: Json): PortOutputs {
  const reply = resumedReply(resumed);
  return reply === 'timeout' ? { timeout: input } : { reply };
}

/**
 * The port of the choice the contact made: by the button id the reply carries
 * (`message.choice.id`), else by a typed text equal to a button's text (ignoring case), else `other`.
 */
export function routeChoice(resumed: ResumeEvent, input: Json, choices: readonly { id: string; title: string }[]): PortOutputs {
  const reply = resumedReply(resumed);
  if (reply === 'timeout') return { timeout: input };
  const message = isJsonObject(reply) && isJsonObject(reply.message) ? reply.message : undefined;
  const chosen = message && isJsonObject(message.choice) ? message.choice.id : undefined;
  const byId = choices.find((choice) => choice.id === chosen);
  if (byId) return { [byId.id]: reply };
  const text = typeof message?.text === 'string' ? message.text.trim().toLocaleLowerCase() : undefined;
  const byTitle = text === undefined ? undefined : choices.find((choice) => choice.title.toLocaleLowerCase() === text);
  return byTitle ? { [byTitle.id]: reply } : { other: reply };
}
