import type { AnyNodeDefinition } from '@switchyard/sdk';
import conversationHistory from './channels/conversation-history/index.js';
import { nodes as emailNodes } from './channels/email/index.js';
import { nodes as telegramNodes } from './channels/telegram/index.js';
import { nodes as whatsappNodes } from './channels/whatsapp/index.js';
import { nodes as instagramNodes } from './channels/instagram/index.js';
import { nodes as otpNodes } from './channels/otp/index.js';
import { nodes as twilioNodes } from './channels/twilio/index.js';
import { nodes as guardrailNodes } from './guardrails/index.js';
import { nodes as aiNodes } from './ai/index.js';
import { nodes as razorpayNodes } from './payments/razorpay/index.js';
import { nodes as paypalNodes } from './payments/paypal/index.js';
import waitForPayment from './payments/wait-for-payment/index.js';
import code from './core/code/index.js';
import collect from './core/collect/index.js';
import forEach from './core/for-each/index.js';
import httpRequest from './core/http-request/index.js';
import ifNode from './core/if/index.js';
import manualTrigger from './core/manual-trigger/index.js';
import merge from './core/merge/index.js';
import placeholder from './core/placeholder/index.js';
import respond from './core/respond/index.js';
import schedule from './core/schedule/index.js';
import set from './core/set/index.js';
import stop from './core/stop/index.js';
import subflow from './core/subflow/index.js';
import switchNode from './core/switch/index.js';
import wait from './core/wait/index.js';
import webhook from './core/webhook/index.js';

/** Node definitions by `type@version`, e.g. `core.if@1`. Plugin nodes are added to a copy of it. */
export type NodeRegistry = Record<string, AnyNodeDefinition>;

/** Every built-in node, in palette order. */
export const builtinNodes: AnyNodeDefinition[] = [
  manualTrigger, webhook, schedule,
  set, code, httpRequest,
  ifNode, switchNode, merge, forEach, collect, wait, subflow, respond, stop, placeholder,
  conversationHistory,
  ...twilioNodes, ...emailNodes, ...telegramNodes, ...whatsappNodes, ...instagramNodes, ...otpNodes,
  ...aiNodes,
  ...guardrailNodes,
  ...razorpayNodes, ...paypalNodes, waitForPayment,
];

export function registryKey(type: string, version: number): string {
  return `${type}@${version}`;
}

/** Builds a registry; a second definition of the same type and version is a programming error. */
export function createNodeRegistry(definitions: readonly AnyNodeDefinition[]): NodeRegistry {
  const registry: NodeRegistry = {};
  for (const definition of definitions) {
    const key = registryKey(definition.type, definition.version);
    if (Object.hasOwn(registry, key)) throw new Error(`node ${key} is defined twice`);
    registry[key] = definition;
  }
  return registry;
}

export const nodeRegistry: NodeRegistry = createNodeRegistry(builtinNodes);

/** The definition of `type` at `version`, or undefined. */
export function findNode(registry: NodeRegistry, type: string, version: number): AnyNodeDefinition | undefined {
  const key = registryKey(type, version);
  // hasOwn: a flow naming "constructor@1" must not reach Object.prototype.
  return Object.hasOwn(registry, key) ? registry[key] : undefined;
}
