import type { InboundSimulator, JsonObject } from '@switchyard/sdk';
import { fictionalPhoneNumber } from '../_shared/simulated.js';
import { hmacSha256Hex, SIGNATURE_HEADER } from '../meta/signature.js';

/** Message ids of simulated contacts' messages start so; a read receipt for one calls nobody. */
export const SIMULATED_WAMID_PREFIX = 'wamid.SIM';

/**
 * The chat simulator's WhatsApp contact (decision 031): a number from the range reserved for
 * fiction (its wa_id is the digits), writing to the account's number in the Cloud API's webhook
 * shape — text, or a tap on a reply button quoting the message it was under — signed with the app
 * secret in `X-Hub-Signature-256` as Meta signs it.
 */
export const whatsappSimulator: InboundSimulator = {
  contactId: (serial) => fictionalPhoneNumber(serial).slice(1),
  deliver(account, message) {
    const phoneNumberId = account.fields.phoneNumberId ?? '';
    const waId = message.contact.id;
    const base = { from: waId, id: `${SIMULATED_WAMID_PREFIX}${message.serial}`, timestamp: String(Math.floor(message.at / 1000)) };
    const sent: JsonObject = message.choice
      ? {
          ...base, type: 'interactive', context: { from: phoneNumberId, id: message.choice.providerMessageId },
          interactive: { type: 'button_reply', button_reply: { id: message.choice.id, title: message.choice.title } },
        }
      : { ...base, type: 'text', text: { body: message.text ?? '' } };
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{
        id: account.fields.wabaId ?? '0',
        changes: [{
          field: 'messages',
          value: {
            messaging_product: 'whatsapp', metadata: { display_phone_number: '', phone_number_id: phoneNumberId },
            contacts: [{ profile: { name: message.contact.name }, wa_id: waId }], messages: [sent],
          },
        }],
      }],
    });
    return { headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: `sha256=${hmacSha256Hex(account.fields.appSecret ?? '', body)}` }, body };
  },
};
