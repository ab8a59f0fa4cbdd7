import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { checkTriggerFilter, matchesTriggerFilter, triggerFilterFields } from '../../_shared/trigger-filter.js';
import { pollMailbox } from './poll.js';
import { simulatedAddress, simulatedMail } from './simulator.js';

const props = z.object({
  ...triggerFilterFields(['message'], { message: 'New mail' }, ['message']),
  /** Default: the credential's folder. */
  mailbox: ui(z.string().trim().optional(), { title: 'Folder (optional)', placeholder: 'INBOX', description: 'Default: the folder on the IMAP credential', expression: false }),
  /** Default: false (the folder is opened read-only). */
  markSeen: ui(z.boolean().default(false), { title: 'Mark as read', description: 'Flag each mail as seen once the flow has it', expression: false }),
  /** Default: 'new'. */
  startWith: ui(z.enum(['new', 'unseen']).default('new'), {
    title: 'On activation', description: 'What the first check after activation passes on', expression: false,
    enumLabels: { new: 'Only mail that arrives from now on', unseen: 'Also the unread mail already in the folder' },
  }),
  /** Default: 60 s. */
  intervalSeconds: ui(z.number().int().min(15, 'at least 15 seconds: mail servers throttle busier clients').max(86_400).default(60), { title: 'Check every (seconds)', description: 'How often the folder is checked for new mail', expression: false }),
  /** Default: 25 (the rest waits for the next poll). */
  maxPerPoll: ui(z.number().int().min(1).max(500).default(25), { title: 'Mails per check', description: 'At most this many mails start flows per check; the rest wait for the next', group: 'Advanced', expression: false }),
  /** Default: 5 MB. Larger attachments are listed without content. */
  maxAttachmentBytes: ui(z.number().int().min(0).max(20_000_000).default(5_000_000), { title: 'Largest attachment passed on (bytes)', description: 'Larger attachments are listed (name, type, size) without their content', group: 'Advanced', expression: false }),
  /** Default: 25 MB. A larger mail is passed on from its envelope only (sender, subject). */
  maxMessageBytes: ui(z.number().int().min(10_000).max(50_000_000).default(25_000_000), { title: 'Largest mail read (bytes)', description: 'A larger mail is passed on from its envelope only (sender, subject)', group: 'Advanced', expression: false }),
}).superRefine(checkTriggerFilter);

/**
 * Starts a flow for each new mail in an IMAP folder. A polling trigger: the gateway calls `poll`
 * every interval with the durable cursor (`{ mailbox, uidValidity, lastUid }`), records each mail
 * once by `<folder>:<uidvalidity>:<uid>`, and marks the trigger failing when polls keep failing.
 * The chat simulator plays a sender of the mailbox (decision 042) without connecting to it.
 */
export default defineNode({
  type: 'email.imap-trigger',
  version: 1,
  title: 'Email received (IMAP)',
  category: 'Channels',
  description: 'Starts the flow when new mail arrives in an IMAP folder (sender, subject, text, HTML and attachments)',
  icon: 'mail',
  props,
  credentials: { mailbox: { kind: 'imap', title: 'IMAP mailbox' } },
  ports: { in: [], out: ['main'] },
  sideEffects: false,
  // Read by the gateway with no execution to evaluate an expression against.
  literalProps: Object.keys(props.shape),
  trigger: {
    kind: 'channel',
    channel: {
      account: 'mailbox',
      matches: (event, props) => matchesTriggerFilter(event, props),
      honoursHandoff: (props) => props.pauseOnHandoff,
      poll: {
        intervalMs: (props) => props.intervalSeconds * 1000,
        run: (ctx, props, cursor) => pollMailbox(ctx, props, cursor),
        // The editor's chat simulator (decision 042): a typed mail from a `.invalid` address, read by the same parser.
        simulator: {
          contactId: simulatedAddress,
          event: (account, props, message) => simulatedMail(account, props, message),
        },
      },
    },
  },
  /** `input`: `{ from, to, cc, subject, text, html, attachments: [{ filename, contentType, size, contentBase64 }], messageId, date, …, eventId, contact }`. */
  run(_ctx, input) {
    return { main: input };
  },
});
