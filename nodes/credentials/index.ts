import type { CredentialKindDefinition } from '@switchyard/sdk';
import { credentialKinds as emailKinds } from '../channels/email/index.js';
import { credentialKinds as telegramKinds } from '../channels/telegram/index.js';
import { credentialKinds as twilioKinds } from '../channels/twilio/index.js';
import { credentialKinds as whatsappKinds } from '../channels/whatsapp/index.js';
import { credentialKinds as instagramKinds } from '../channels/instagram/index.js';
import { credentialKinds as razorpayKinds } from '../payments/razorpay/index.js';
import { credentialKinds as paypalKinds } from '../payments/paypal/index.js';
import { credentialKinds as aiKinds } from '../ai/index.js';
import hmacSecret from './hmac-secret.js';
import httpBasic from './http-basic.js';
import httpBearer from './http-bearer.js';
import httpHeader from './http-header.js';

export { hmacSecret, httpBasic, httpBearer, httpHeader };

/** Built-in credential kinds by kind name. */
export const credentialKinds: Record<string, CredentialKindDefinition> = Object.fromEntries(
  [httpBearer, httpBasic, httpHeader, hmacSecret, ...twilioKinds, ...emailKinds, ...telegramKinds, ...whatsappKinds, ...instagramKinds, ...aiKinds, ...razorpayKinds, ...paypalKinds].map((k) => [k.kind, k]),
);
