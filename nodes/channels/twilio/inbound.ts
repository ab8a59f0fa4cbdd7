import twilio from 'twilio';
import {
  InboundPayloadError,
  type DeliveryStatus, type InboundAccount, type InboundDelivery, type InboundEvent, type InboundHandler, type Json, type MediaRef,
} from '@switchyard/sdk';

/** Twilio's signature header (lower-case, as the gateway gives headers). */
export const SIGNATURE_HEADER = 'x-twilio-signature';

/** A form-encoded body as `express.urlencoded` gives it to `validateRequest`: a repeated name becomes an array. */
export type TwilioParams = Record<string, string | string[]>;

/** Parses a form-encoded body; every value is kept, repeated names as arrays. */
export function parseForm(rawBody: Uint8Array): TwilioParams {
  const params: TwilioParams = {};
  for (const [name, value] of new URLSearchParams(Buffer.from(rawBody).toString('utf8'))) {
    const seen = params[name];
    params[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return params;
}

/**
 * Checks `X-Twilio-Signature` as the official SDK's `validateRequest` does (it is the same code): the
 * HMAC-SHA1, keyed with the Auth Token, of the callback URL as Twilio called it followed by every
 * posted parameter, sorted by name, as name+value; compared in constant time, with the URL's
 * default port both present and absent. A `bodySHA256` query parameter (JSON-bodied webhooks) means
 * the body is checked against it instead of form parameters. Never throws.
 */
export function checkTwilioSignature(delivery: InboundDelivery, authToken: string): { status: 401 | 403; reason: string } | undefined {
  const signature = delivery.headers[SIGNATURE_HEADER];
  if (signature === undefined || signature === '') return { status: 401, reason: 'the X-Twilio-Signature header is missing' };
  if (authToken === '') return { status: 403, reason: 'the account has no Auth Token to check X-Twilio-Signature with' };
  let valid = false;
  try {
    valid = delivery.url.includes('bodySHA256')
      ? twilio.validateRequestWithBody(authToken, signature, delivery.url, Buffer.from(delivery.rawBody).toString('utf8'))
      : twilio.validateRequest(authToken, signature, delivery.url, parseForm(delivery.rawBody));
  } catch {
    // An unparsable URL cannot have been signed by Twilio.
    valid = false;
  }
  return valid ? undefined : { status: 403, reason: 'the X-Twilio-Signature does not match the callback URL and parameters (check the Auth Token and the URL pasted in the Twilio console)' };
}

function one(params: TwilioParams, name: string): string | undefined {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `whatsapp:+1415…` stays prefixed (a reply must go back on WhatsApp); a plain number is E.164 as Twilio sends it. */
function contactOf(address: string | undefined): { id: string } | undefined {
  return address ? { id: address.trim() } : undefined;
}

/** Twilio's message statuses as the conversation store knows them. */
const STATUSES: Record<string, DeliveryStatus> = {
  accepted: 'queued', scheduled: 'queued', queued: 'queued', sending: 'queued',
  sent: 'sent', delivered: 'delivered', read: 'read',
  undelivered: 'failed', failed: 'failed', canceled: 'failed',
};

function asJson(params: TwilioParams): Json {
  return { ...params };
}

function messageEvent(params: TwilioParams, sid: string, now: number): InboundEvent {
  const from = one(params, 'From');
  const count = Math.min(Number(one(params, 'NumMedia') ?? 0) || 0, 10);
  const media: MediaRef[] = [];
  for (let i = 0; i < count; i++) {
    const url = one(params, `MediaUrl${i}`);
    const mimeType = one(params, `MediaContentType${i}`);
    if (url) media.push({ kind: (mimeType ?? 'application').split('/')[0] || 'document', url, ...(mimeType ? { mimeType } : {}) });
  }
  const text = one(params, 'Body') ?? '';
  const buttonPayload = one(params, 'ButtonPayload');
  const latitude = one(params, 'Latitude');
  const messageType = buttonPayload ? 'interactive' : latitude ? 'location' : media.length > 0 ? (media[0]?.kind ?? 'media') : text !== '' ? 'text' : 'unknown';
  const channel = from?.toLowerCase().startsWith('whatsapp:') ? 'whatsapp' : 'sms';
  const profileName = one(params, 'ProfileName');
  return {
    id: sid,
    type: 'message',
    contact: from ? { id: from.trim(), ...(profileName ? { name: profileName } : {}) } : undefined,
    message: {
      providerMessageId: sid,
      messageType,
      ...(text !== '' ? { text } : {}),
      ...(media.length > 0 ? { media } : {}),
      ...(buttonPayload ? { choice: { id: buttonPayload, ...(one(params, 'ButtonText') ? { title: one(params, 'ButtonText') } : {}) } } : {}),
    },
    at: now,
    data: {
      messageSid: sid,
      channel,
      messageType,
      text,
      from: from ?? null,
      to: one(params, 'To') ?? null,
      accountSid: one(params, 'AccountSid') ?? null,
      messagingServiceSid: one(params, 'MessagingServiceSid') ?? null,
      profileName: profileName ?? null,
      numSegments: Number(one(params, 'NumSegments') ?? 1) || 1,
      media: media.map((m) => ({ url: m.url ?? '', contentType: m.mimeType ?? null })),
      ...(latitude ? { location: { latitude: Number(latitude), longitude: Number(one(params, 'Longitude') ?? 0) } } : {}),
      raw: asJson(params),
    },
  };
}

function statusEvent(params: TwilioParams, sid: string, raw: string, now: number): InboundEvent {
  const status = STATUSES[raw];
  const errorCode = one(params, 'ErrorCode');
  const errorMessage = one(params, 'ErrorMessage');
  const to = one(params, 'To');
  if (!status) {
    // A status Twilio added later: passed on so a status flow sees it, but not mapped onto the message.
    return { id: `status:${sid}:${raw}`, type: 'status', contact: contactOf(to), at: now, data: { messageSid: sid, status: raw, deliveryStatus: null, to: to ?? null, raw: asJson(params) } };
  }
  return {
    id: `status:${sid}:${raw}`,
    type: 'status',
    contact: contactOf(to),
    status: {
      providerMessageId: sid,
      status,
      at: now,
      ...(status === 'failed' ? { error: { ...(errorCode ? { code: errorCode } : {}), message: errorMessage ?? (errorCode ? `Twilio error ${errorCode}` : `message ${raw}`) } } : {}),
    },
    at: now,
    data: {
      messageSid: sid,
      status: raw,
      deliveryStatus: status,
      errorCode: errorCode ?? null,
      errorMessage: errorMessage ?? null,
      from: one(params, 'From') ?? null,
      to: to ?? null,
      raw: asJson(params),
    },
  };
}

/**
 * One delivery is one event: an incoming message (SMS, MMS or WhatsApp through Twilio; id = its
 * `MessageSid`) or a status callback for a message sent (`MessageStatus`; id =
 * `status:<MessageSid>:<status>`, so each step of a message's life is recorded once).
 */
export function parseTwilioDelivery(delivery: InboundDelivery, now = Date.now()): InboundEvent[] {
  const type = (delivery.headers['content-type'] ?? '').toLowerCase();
  if (type && !type.startsWith('application/x-www-form-urlencoded')) {
    throw new InboundPayloadError(`expected a form-encoded body (application/x-www-form-urlencoded), got ${type.split(';')[0]}`);
  }
  const params = parseForm(delivery.rawBody);
  const sid = one(params, 'MessageSid') ?? one(params, 'SmsSid');
  if (!sid) throw new InboundPayloadError('MessageSid is missing: this is not a Twilio messaging webhook');
  if (!/^[A-Z]{2}[0-9a-fA-F]{32}$/.test(sid)) throw new InboundPayloadError(`MessageSid "${sid.slice(0, 40)}" is not a Twilio message SID`);
  const status = one(params, 'MessageStatus') ?? one(params, 'SmsStatus');
  if (status !== undefined && status !== 'received' && status !== 'receiving') return [statusEvent(params, sid, status, now)];
  return [messageEvent(params, sid, now)];
}

/** The empty TwiML answer: Twilio reads it as "no reply now" (the flow replies through the REST API). */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** The Twilio credential kind's inbound handler: no handshake; the number's webhook URLs are pasted by hand. */
export const twilioInbound: InboundHandler = {
  verify(delivery: InboundDelivery, account: InboundAccount) {
    return checkTwilioSignature(delivery, account.fields.authToken ?? '');
  },
  parse(delivery: InboundDelivery) {
    return parseTwilioDelivery(delivery);
  },
  acknowledge: { status: 200, headers: { 'content-type': 'text/xml' }, body: EMPTY_TWIML },
};
