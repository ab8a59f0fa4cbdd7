import { z } from 'zod';
import { ui } from '@switchyard/sdk';

/** The credential slot every Instagram node uses. */
export const accountSlot = { account: { kind: 'instagram-messaging', title: 'Instagram account' } } as const;

/** Instagram's limit on a DM's text. */
export const DM_TEXT_LIMIT = 1000;

/** The person to message: an Instagram-scoped ID; empty replies to the incoming message's contact. */
export const recipientField = ui(z.string().trim().max(40).optional(), {
  title: 'Recipient', description: 'Instagram-scoped ID of the person (a trigger\'s contact.id). Empty: the contact of the incoming message', placeholder: '{{ $json.contact.id }}',
});

/** A comment to act on; empty takes the incoming comment's id. */
export const commentIdField = ui(z.string().trim().max(40).optional(), {
  title: 'Comment', description: 'The comment id. Empty: the comment that started the flow ({{ $json.commentId }})', placeholder: '{{ $json.commentId }}',
});

/** A quick reply: a button under the message that answers with its payload. */
export const quickReply = z.object({
  id: ui(z.string().trim().min(1, 'enter the payload').max(1000), { title: 'Payload', description: 'Comes back as choice.id when the person taps it', placeholder: 'yes' }),
  title: ui(z.string().trim().min(1, 'enter the text').max(20, 'at most 20 characters'), { title: 'Text', description: 'What the person sees (up to 20 characters)', placeholder: 'Yes' }),
});

/** Instagram shows at most 13 quick replies. */
export const MAX_QUICK_REPLIES = 13;

/** Quick replies as the Send API wants them. */
export function quickReplies(options: readonly { id: string; title: string }[]) {
  return options.map((o) => ({ content_type: 'text', title: o.title, payload: o.id }));
}
