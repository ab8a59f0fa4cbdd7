import { z } from 'zod';
import { isJsonObject, type InboundEvent, type Json, type JsonObject, type TriggerLifecycleContext } from '@switchyard/sdk';
import { instagramCall } from '../client.js';
import { instagramAccount, type InstagramAccount } from '../credential.js';
import { commentEventOf } from '../parse.js';

/** Polls come every 5 minutes while comments keep coming, and slow down to every 30 when it is quiet. */
export const MIN_POLL_MS = 5 * 60_000;
export const MAX_POLL_MS = 30 * 60_000;
/** Comment pages read per post and poll (50 each): past that, older comments wait for the next poll. */
const MAX_PAGES = 4;
const COMMENT_FIELDS = 'id,text,timestamp,username,from,parent_id,replies{id,text,timestamp,username,from,parent_id}';

/** What the poller remembers between polls (stored durably by the gateway). */
const cursorSchema = z.object({
  /** Per post: the newest comment time seen (epoch ms) and the ids seen at exactly that time. */
  media: z.record(z.string(), z.object({ after: z.number(), ids: z.array(z.string()) })),
  /** The poller does nothing before this time (epoch ms): how the interval adapts. */
  nextPollAt: z.number(),
  /** Polls in a row that found nothing. */
  quietPolls: z.number().int().min(0),
});
export type CommentCursor = z.infer<typeof cursorSchema>;

export interface PollOptions {
  /** How many of the latest posts to watch. */
  watchPosts: number;
  /** Only these posts (ids); empty: the latest `watchPosts`. */
  mediaIds: string[];
}

/** The wait after a poll: 5 minutes after activity, doubling per quiet poll up to 30. */
export function nextInterval(quietPolls: number): number {
  return Math.min(MAX_POLL_MS, MIN_POLL_MS * 2 ** Math.min(quietPolls, 8));
}

interface ListedComment {
  id: string;
  text: string;
  at: number;
  fromId: string;
  username?: string;
  parentId?: string;
  raw: JsonObject;
}

/**
 * One poll: lists the latest posts and their comments (replies included) and returns the comments
 * newer than the cursor's mark for their post, oldest first. The first poll only sets the marks:
 * comments written before the flow was activated start nothing. A poll that comes before the
 * cursor's `nextPollAt` returns at once, which is how the interval stretches from 5 to 30 minutes.
 */
export async function pollComments(ctx: TriggerLifecycleContext, options: PollOptions, cursor: Json | null, now = Date.now()): Promise<{ events: InboundEvent[]; cursor: Json }> {
  const parsed = cursorSchema.safeParse(cursor);
  const state = parsed.success ? parsed.data : undefined;
  if (state && now < state.nextPollAt) return { events: [], cursor: state };
  const account = instagramAccount({ id: ctx.account.credentialId, kind: 'instagram-messaging', fields: { ...ctx.account.fields } });
  const call = { http: ctx.http, signal: ctx.signal };
  const mediaIds = options.mediaIds.length > 0 ? options.mediaIds : await latestMedia(call, account, options.watchPosts);
  const media: CommentCursor['media'] = {};
  const fresh: { comment: ListedComment; mediaId: string }[] = [];
  for (const mediaId of mediaIds) {
    const mark = state?.media[mediaId];
    const comments = await listComments(call, account, mediaId, mark?.after);
    const newest = comments.reduce((max, c) => Math.max(max, c.at), mark?.after ?? 0);
    const idsAtNewest = comments.filter((c) => c.at === newest).map((c) => c.id);
    media[mediaId] = { after: newest, ids: [...new Set([...(mark && mark.after === newest ? mark.ids : []), ...idsAtNewest])] };
    // A post first seen after the first poll is new: all its comments are too.
    if (!state) continue;
    for (const comment of comments) {
      if (mark && (comment.at < mark.after || (comment.at === mark.after && mark.ids.includes(comment.id)))) continue;
      fresh.push({ comment, mediaId });
    }
  }
  fresh.sort((a, b) => a.comment.at - b.comment.at);
  const events = fresh.map(({ comment, mediaId }) => commentEventOf({
    id: comment.id, text: comment.text, fromId: comment.fromId, username: comment.username, mediaId, parentId: comment.parentId,
    at: comment.at, source: 'polling', raw: comment.raw,
  }, account.igAccountId));
  const quietPolls = events.length > 0 || !state ? 0 : state.quietPolls + 1;
  // A little early, so a poll scheduled on the minute is not skipped for a few milliseconds of jitter.
  const next: CommentCursor = { media, quietPolls, nextPollAt: now + nextInterval(quietPolls) - 30_000 };
  return { events, cursor: next };
}

type Caller = { http: TriggerLifecycleContext['http']; signal: AbortSignal };

async function latestMedia(call: Caller, account: InstagramAccount, limit: number): Promise<string[]> {
  const body = await instagramCall(call, account, { method: 'GET', path: `${account.igAccountId}/media`, query: { fields: 'id,timestamp,comments_count', limit: String(limit) } });
  const data = Array.isArray(body.data) ? body.data : [];
  return data.filter(isJsonObject).filter((m) => m.comments_count !== 0).map((m) => String(m.id ?? '')).filter((id) => id !== '');
}

/** A post's comments and their replies, newest pages first, stopping at comments older than `after`. */
async function listComments(call: Caller, account: InstagramAccount, mediaId: string, after: number | undefined): Promise<ListedComment[]> {
  const found: ListedComment[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query: Record<string, string> = { fields: COMMENT_FIELDS, limit: '50' };
    if (cursor) query.after = cursor;
    const body = await instagramCall(call, account, { method: 'GET', path: `${mediaId}/comments`, query });
    const data = (Array.isArray(body.data) ? body.data : []).filter(isJsonObject);
    for (const item of data) {
      const comment = listed(item);
      if (comment) found.push(comment);
      const replies = isJsonObject(item.replies) && Array.isArray(item.replies.data) ? item.replies.data.filter(isJsonObject) : [];
      for (const reply of replies) {
        const listedReply = listed(reply, comment?.id);
        if (listedReply) found.push(listedReply);
      }
    }
    const paging = isJsonObject(body.paging) ? body.paging : undefined;
    const next = paging && typeof paging.next === 'string' && isJsonObject(paging.cursors) ? paging.cursors.after : undefined;
    const oldest = data.reduce((min, item) => Math.min(min, Date.parse(String(item.timestamp ?? ''))), Number.POSITIVE_INFINITY);
    if (typeof next !== 'string' || (after !== undefined && oldest < after)) break;
    cursor = next;
  }
  return found;
}

function listed(item: JsonObject, parentId?: string): ListedComment | undefined {
  const id = typeof item.id === 'string' ? item.id : undefined;
  const at = Date.parse(String(item.timestamp ?? ''));
  if (!id || Number.isNaN(at)) return undefined;
  const from = isJsonObject(item.from) ? item.from : undefined;
  const username = typeof from?.username === 'string' ? from.username : typeof item.username === 'string' ? item.username : undefined;
  const fromId = typeof from?.id === 'string' ? from.id : `username:${username ?? 'unknown'}`;
  const parent = typeof item.parent_id === 'string' ? item.parent_id : parentId;
  return { id, text: typeof item.text === 'string' ? item.text : '', at, fromId, username, parentId: parent, raw: item };
}
