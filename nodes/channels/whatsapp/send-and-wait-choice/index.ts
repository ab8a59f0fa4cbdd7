import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { channelsOf, checkChoiceIds, choiceSchema, routeChoice, waitTimeoutField } from '../../meta/send-and-wait.js';
import { recipient, sendMessage } from '../client.js';
import { whatsappAccount } from '../credential.js';
import { bodyField, buttonsMessage, footerField, headerField, LIMITS } from '../interactive.js';
import { accountSlot, defaultCountryField, toField } from '../props.js';

const props = z.object({
  to: toField,
  text: bodyField,
  choices: ui(z.array(choiceSchema(LIMITS.buttonTitle)).min(1, 'add at least one choice').max(LIMITS.buttons, `WhatsApp shows at most ${LIMITS.buttons} reply buttons`).default([{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }]), {
    title: 'Choices', description: `Up to ${LIMITS.buttons} buttons; each has its own output`,
  }),
  timeoutMs: waitTimeoutField,
  header: headerField,
  footer: footerField,
  defaultCountry: defaultCountryField,
}).superRefine((value, ctx) => checkChoiceIds(value.choices, ctx));

/**
 * Sends up to three reply buttons and parks until the contact answers: a tap (or a typed text
 * equal to a button's text) continues on that button's output, anything else on `other`, silence
 * on `timeout`.
 */
export default defineNode({
  type: 'whatsapp.send-and-wait-choice',
  version: 1,
  title: 'WhatsApp: send and wait for a choice',
  category: 'Channels',
  description: 'Sends reply buttons and continues on the output of the button the contact taps',
  icon: 'route',
  props,
  credentials: accountSlot,
  ports: { in: ['main'], out: (p) => [...p.choices.map((c) => c.id), 'other', 'timeout'] },
  sideEffects: true,
  async run(ctx, input, p) {
    if (ctx.resumed) return routeChoice(ctx.resumed, input, p.choices);
    const channels = channelsOf(ctx);
    const content = buttonsMessage({ text: p.text, header: p.header, footer: p.footer, buttons: p.choices });
    const account = whatsappAccount(ctx.credentials.account);
    const to = recipient(p.to, input, p.defaultCountry);
    const sent = await sendMessage(ctx, account, to, content, { messageType: 'interactive', text: p.text, choices: p.choices.map((c) => ({ id: c.id, title: c.title })) });
    return channels.waitForReply(account.credentialId, sent.waId, p.timeoutMs);
  },
});
