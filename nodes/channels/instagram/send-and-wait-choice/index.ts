import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { channelsOf, checkChoiceIds, choiceSchema, routeChoice, waitTimeoutField } from '../../meta/send-and-wait.js';
import { recipientId, sendDirect } from '../client.js';
import { instagramAccount } from '../credential.js';
import { accountSlot, DM_TEXT_LIMIT, MAX_QUICK_REPLIES, quickReplies, recipientField } from '../props.js';

const props = z.object({
  recipient: recipientField,
  text: ui(z.string().min(1, 'enter the question').max(DM_TEXT_LIMIT, `at most ${DM_TEXT_LIMIT} characters`), { title: 'Text', description: 'The question above the quick replies', widget: 'textarea' }),
  choices: ui(z.array(choiceSchema(20)).min(1, 'add at least one choice').max(MAX_QUICK_REPLIES, `Instagram shows at most ${MAX_QUICK_REPLIES} quick replies`).default([{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }]), {
    title: 'Choices', description: 'Quick replies; each has its own output',
  }),
  timeoutMs: waitTimeoutField,
}).superRefine((value, ctx) => checkChoiceIds(value.choices, ctx));

/**
 * Sends quick replies and parks until the person answers: a tap (or a typed text equal to a
 * choice) continues on that choice's output, anything else on `other`, silence on `timeout`.
 */
export default defineNode({
  type: 'instagram.send-and-wait-choice',
  version: 1,
  title: 'Instagram: send and wait for a choice',
  category: 'Channels',
  description: 'Sends quick replies and continues on the output of the one the person taps',
  icon: 'route',
  props,
  credentials: accountSlot,
  ports: { in: ['main'], out: (p) => [...p.choices.map((c) => c.id), 'other', 'timeout'] },
  sideEffects: true,
  async run(ctx, input, p) {
    if (ctx.resumed) return routeChoice(ctx.resumed, input, p.choices);
    const channels = channelsOf(ctx);
    const account = instagramAccount(ctx.credentials.account);
    const recipient = recipientId(p.recipient, input);
    const choices = p.choices.map((c) => ({ id: c.id, title: c.title }));
    const sent = await sendDirect(ctx, account, { id: recipient }, { text: p.text, quick_replies: quickReplies(choices) }, { messageType: 'text', text: p.text, choices });
    return channels.waitForReply(account.credentialId, sent.recipientId || recipient, p.timeoutMs);
  },
});
