import { z } from 'zod';
import { defineRoute, idParams, type Route } from '../route.server.js';

const tag = 'conversations';

export const conversationListQuery = z.object({
  /** A channel: the credential kind of the account (`telegram`, `whatsapp`, …). */
  channel: z.string().min(1).max(100).optional(),
  /** `unread`, `paused` (a person took over), `blocked`, or `automated` (neither paused nor blocked). */
  status: z.enum(['unread', 'paused', 'blocked', 'automated']).optional(),
  /** Text found in the contact's name or id, or the account's name (case-insensitive). */
  q: z.string().max(200).optional(),
  /** Threads per page, at most 200. Default: 50. */
  limit: z.coerce.number().int().min(1).max(200).optional(),
  /** ISO time: threads whose last message is older (the `lastMessageAt` of the last thread of a page). */
  before: z.string().min(1).max(100).optional(),
});

export const conversationMessagesQuery = z.object({
  /** Messages per page, at most 200. Default: 50 (the newest). */
  limit: z.coerce.number().int().min(1).max(200).optional(),
  /** ISO time: messages older than it (the thread's `nextBefore`). */
  before: z.string().min(1).max(100).optional(),
});

export const conversationReplyBody = z.object({
  /** Sent as it is through the conversation's channel. */
  text: z.string().min(1).max(4096),
});

export const conversationAutomationBody = z.object({
  /** true: a person takes over (channel triggers that honour it skip the contact); false: automation resumes. */
  paused: z.boolean(),
});

export const conversationRoutes: Route[] = [
  defineRoute({ method: 'get', path: '/conversations', tag, query: conversationListQuery,
    summary: 'Conversation threads across every channel, newest first (contact, channel, account, last message, unread, paused, blocked)' },
  async ({ runtime, principal, query }) => ({ body: await runtime.conversations.list(principal.workspaceId, query) })),

  defineRoute({ method: 'get', path: '/conversations/:id', tag, params: idParams, query: conversationMessagesQuery,
    summary: 'One thread with a page of its messages (each with its status and the execution that sent it); opening it marks it read' },
  async ({ runtime, principal, params, query }) => ({ body: await runtime.conversations.get(principal.workspaceId, params.id, query) })),

  defineRoute({ method: 'post', path: '/conversations/:id/messages', tag, status: 201, params: idParams, body: conversationReplyBody,
    summary: 'A person replies from the inbox: sent through the channel, recorded with no execution (502 when the provider refuses)' },
  async ({ runtime, principal, params, body }) => ({ status: 201, body: await runtime.conversations.reply(principal.workspaceId, params.id, body.text) })),

  defineRoute({ method: 'post', path: '/conversations/:id/automation', tag, params: idParams, body: conversationAutomationBody,
    summary: 'Pause automation for the contact (a person has taken over) or resume it' },
  async ({ runtime, principal, params, body }) => ({ body: await runtime.conversations.setAutomation(principal.workspaceId, params.id, body.paused) })),
];
