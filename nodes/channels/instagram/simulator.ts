import type { InboundSimulator, JsonObject } from '@switchyard/sdk';
import { hmacSha256Hex, SIGNATURE_HEADER } from '../meta/signature.js';

/**
 * The chat simulator's Instagram contact (decision 031): a 20-digit Instagram-scoped ID starting
 * with 9 (real IGSIDs are shorter), writing a DM to the account in the Messenger API for Instagram's
 * webhook shape — text, or a tap on a quick reply — signed with the app secret in
 * `X-Hub-Signature-256` as Meta signs it.
 */
export const instagramSimulator: InboundSimulator = {
  contactId: (serial) => `9${String(serial).padStart(19, '0')}`,
  deliver(account, message) {
    const igAccountId = account.fields.igAccountId ?? '';
    const mid = `sim-${message.serial}`;
    const sent: JsonObject = message.choice
      ? { mid, text: message.choice.title, quick_reply: { payload: message.choice.id } }
      : { mid, text: message.text ?? '' };
    const body = JSON.stringify({
      object: 'instagram',
      entry: [{
        id: igAccountId, time: message.at,
        messaging: [{ sender: { id: message.contact.id }, recipient: { id: igAccountId }, timestamp: message.at, message: sent }],
      }],
    });
    return { headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: `sha256=${hmacSha256Hex(account.fields.appSecret ?? '', body)}` }, body };
  },
};
