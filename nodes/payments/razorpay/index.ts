import type { AnyNodeDefinition, CredentialKindDefinition } from '@switchyard/sdk';
import capture from './capture/index.js';
import createOrder from './create-order/index.js';
import createPaymentLink from './create-payment-link/index.js';
import razorpay from './credential.js';
import fetch from './fetch/index.js';
import refund from './refund/index.js';
import trigger from './trigger/index.js';
import verifySignature from './verify-signature/index.js';

/** Razorpay: orders, payment links (UPI too), capture, refunds, signatures and webhooks (docs/payments.md). */
export const nodes: AnyNodeDefinition[] = [trigger, createOrder, createPaymentLink, fetch, capture, refund, verifySignature];

export const credentialKinds: CredentialKindDefinition[] = [razorpay];
