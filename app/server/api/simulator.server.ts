import { z } from 'zod';
import { defineRoute, idParams, type Route } from '../route.server.js';

const tag = 'flows';

/** The editor's simulator session: one simulated contact per session and account. */
const sessionId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'a session id is 8 to 64 letters, digits, - or _');

export const simulatorMessageBody = z.object({
  sessionId,
  /** The channel trigger to chat with. Default: the flow's first channel trigger. */
  nodeId: z.string().min(1).max(120).optional(),
  /** What the contact types (up to 4,096 characters). */
  text: z.string().trim().min(1, 'type a message').max(4096, 'a message is at most 4,096 characters').optional(),
  /** The subject, for a channel that has one (email; decision 042); other channels ignore it. */
  subject: z.string().trim().max(998, 'a subject is at most 998 characters').regex(/^[^\r\n]*$/, 'a subject is one line').optional(),
  /** A button or list row of a message the flow sent (its id). */
  choiceId: z.string().min(1).max(256).optional(),
  /** The editor's id of this message: sending it again starts nothing new. Default: a new one. */
  messageId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - or _ (up to 64)').optional(),
}).refine((body) => (body.text === undefined) !== (body.choiceId === undefined), { message: 'send either "text" or "choiceId"', path: ['text'] });

const threadParams = idParams.extend({ sessionId });

export const simulatorRoutes: Route[] = [
  defineRoute({ method: 'post', path: '/flows/:id/simulator/messages', tag, status: 202, params: idParams, body: simulatorMessageBody,
    summary: 'Chat simulator: sends a message (or a button press) as a simulated contact of the channel trigger\'s account, through the account\'s own signed delivery path; it runs only this flow\'s latest saved version, and the flow\'s replies are recorded, not sent to the provider' },
  async ({ runtime, principal, params, body }) => ({ status: 202, body: await runtime.inbound.simulate(principal.workspaceId, params.id, body) })),

  defineRoute({ method: 'get', path: '/flows/:id/simulator/:sessionId', tag, params: threadParams,
    summary: 'Chat simulator: the session\'s conversation, oldest first, each of the flow\'s replies with the execution and step that sent it' },
  async ({ runtime, principal, params }) => ({ body: await runtime.inbound.simulatorThread(principal.workspaceId, params.id, params.sessionId) })),
];
