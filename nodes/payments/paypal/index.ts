import type { AnyNodeDefinition, CredentialKindDefinition } from '@switchyard/sdk';
import authorize from './authorize/index.js';
import capture from './capture/index.js';
import createOrder from './create-order/index.js';
import paypal from './credential.js';
import getOrder from './get-order/index.js';
import refund from './refund/index.js';
import trigger from './trigger/index.js';
import voidNode from './void/index.js';

/** PayPal: Checkout orders, capture/authorize/void, refunds and verified webhooks (docs/payments.md). */
export const nodes: AnyNodeDefinition[] = [trigger, createOrder, getOrder, capture, authorize, voidNode, refund];

export const credentialKinds: CredentialKindDefinition[] = [paypal];
