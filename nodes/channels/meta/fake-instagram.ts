import { randomBytes } from 'node:crypto';
import { isJsonObject, type Json, type JsonObject } from '@switchyard/sdk';
import type { GraphFakeCall } from './fake.js';
import { graphErrorBody } from './fake-errors.js';

/** A comment on a fake post. `timestamp` is Graph's format, e.g. `2024-05-01T10:00:00+0000`. */
export interface FakeComment {
  id: string;
  text: string;
  timestamp: string;
  from: { id: string; username: string };
  /** The comment this one answers (a reply). Default: none. */
  parentId?: string;
  hidden?: boolean;
}

/** A post of the fake account, newest first in listings. */
export interface FakeMedia {
  id: string;
  timestamp: string;
  caption?: string;
  /** Default: 'IMAGE'. */
  mediaType?: string;
  comments: FakeComment[];
}

/** A DM or private reply the fake accepted. */
export interface FakeInstagramMessage {
  mid: string;
  recipient: { id?: string; comment_id?: string };
  body: JsonObject;
}

interface Container {
  id: string;
  params: JsonObject;
  polls: number;
  outcome: 'FINISHED' | 'ERROR';
  published: boolean;
}

type Answer = { status: number; body: Json };

/** Graph's timestamp format: ISO 8601 with a `+0000` offset and no milliseconds. */
export function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

const newId = () => String(17_900_000_000_000_000n + BigInt(`0x${randomBytes(6).toString('hex')}`));
const ok = (body: Json): Answer => ({ status: 200, body });
const bad = (code: number, message: string, subcode?: number): Answer => ({ status: 400, body: graphErrorBody(code, message, subcode) });
const truthy = (value: Json | undefined) => value === true || value === 'true';

/** The Instagram half of the Graph fake: messaging, comments, content publishing, listings for the poller. */
export class FakeInstagram {
  readonly messages: FakeInstagramMessage[] = [];
  /** Public replies to comments (`POST /{comment-id}/replies`). */
  readonly replies: { commentId: string; id: string; message: string }[] = [];
  readonly deleted: string[] = [];
  readonly published: { id: string; creationId: string; params: JsonObject }[] = [];
  /** Media whose container ends in ERROR, by URL. */
  readonly failingMediaUrls = new Set<string>();
  private media: FakeMedia[] = [];
  private containers = new Map<string, Container>();

  constructor(readonly account: { id: string; username: string }, private pollsUntilReady: number) {}

  addMedia(media: Omit<FakeMedia, 'comments'> & { comments?: FakeComment[] }): FakeMedia {
    const added: FakeMedia = { comments: [], ...media };
    this.media.push(added);
    return added;
  }

  addComment(mediaId: string, comment: FakeComment): void {
    const media = this.media.find((m) => m.id === mediaId);
    if (!media) throw new Error(`fake: no media ${mediaId}`);
    media.comments.push(comment);
  }

  comment(id: string): FakeComment | undefined {
    for (const media of this.media) {
      const found = media.comments.find((c) => c.id === id);
      if (found) return found;
    }
    return undefined;
  }

  /** Status polls containers got, in total. */
  get containerPolls(): number {
    return [...this.containers.values()].reduce((sum, c) => sum + c.polls, 0);
  }

  reset(): void {
    this.messages.length = 0;
    this.replies.length = 0;
    this.deleted.length = 0;
    this.published.length = 0;
    this.failingMediaUrls.clear();
    this.media = [];
    this.containers.clear();
  }

  /** Who a call is addressed to, for scripted errors: an IGSID or a comment id. */
  recipientOf(call: GraphFakeCall): string | undefined {
    const [id = '', edge] = call.path.split('/');
    const recipient = call.body?.recipient;
    if (edge === 'messages' && isJsonObject(recipient)) return String(recipient.id ?? recipient.comment_id ?? '');
    if (this.comment(id)) return id;
    return undefined;
  }

  handle(call: GraphFakeCall): Answer | undefined {
    const [id = '', edge] = call.path.split('/');
    const params: JsonObject = { ...call.query, ...(call.body ?? {}) };
    const own = id === 'me' || id === this.account.id;
    if (own && edge === 'messages' && call.method === 'POST') return this.send(params);
    if (own && edge === 'media' && call.method === 'POST') return this.createContainer(params);
    if (own && edge === 'media_publish' && call.method === 'POST') return this.publish(params);
    if (own && edge === 'media' && call.method === 'GET') return ok(page(this.listMedia(), call.query, (m) => mediaJson(m)));
    if (own && edge === undefined && call.method === 'GET') return ok({ id: this.account.id, username: this.account.username });
    const container = this.containers.get(id);
    if (container && edge === undefined && call.method === 'GET') return this.pollContainer(container);
    const media = this.media.find((m) => m.id === id);
    if (media && edge === 'comments' && call.method === 'GET') {
      const withReplies = (call.query.fields ?? '').includes('replies');
      const topLevel = media.comments.filter((c) => c.parentId === undefined).sort(newestFirst);
      return ok(page(topLevel, call.query, (c) => commentJson(c, withReplies ? media.comments.filter((r) => r.parentId === c.id).sort(newestFirst) : undefined)));
    }
    if (media && edge === undefined && call.method === 'GET') return ok(mediaJson(media));
    const comment = this.comment(id);
    if (comment && edge === 'replies' && call.method === 'POST') {
      if (typeof params.message !== 'string' || params.message === '') return bad(100, 'The parameter message is required');
      const reply = { commentId: id, id: newId(), message: params.message };
      this.replies.push(reply);
      return ok({ id: reply.id });
    }
    if (comment && edge === undefined && call.method === 'POST') {
      if (params.hide === undefined) return bad(100, 'The parameter hide is required');
      comment.hidden = truthy(params.hide);
      return ok({ success: true });
    }
    if (comment && edge === undefined && call.method === 'DELETE') {
      this.deleted.push(id);
      for (const m of this.media) m.comments = m.comments.filter((c) => c.id !== id);
      return ok({ success: true });
    }
    return undefined;
  }

  private send(params: JsonObject): Answer {
    const recipient = params.recipient;
    const message = params.message;
    if (!isJsonObject(recipient) || (typeof recipient.id !== 'string' && typeof recipient.comment_id !== 'string')) {
      return bad(100, 'The parameter recipient is required');
    }
    if (params.sender_action !== undefined) return ok({ recipient_id: recipient.id ?? '' });
    if (!isJsonObject(message) || (message.text === undefined && message.attachment === undefined)) return bad(100, 'The parameter message must have text or an attachment');
    if (typeof message.text === 'string' && [...message.text].length > 1000) {
      return bad(100, 'Length of param message[text] must be less than or equal to 1000', 2018047);
    }
    let recipientId = typeof recipient.id === 'string' ? recipient.id : '';
    if (typeof recipient.comment_id === 'string') {
      const comment = this.comment(recipient.comment_id);
      if (!comment) return bad(100, 'No matching comment found', 2534001);
      recipientId = comment.from.id;
    }
    const mid = `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOj${randomBytes(12).toString('base64url')}`;
    this.messages.push({ mid, recipient: { ...(typeof recipient.id === 'string' ? { id: recipient.id } : {}), ...(typeof recipient.comment_id === 'string' ? { comment_id: recipient.comment_id } : {}) }, body: params });
    return ok({ recipient_id: recipientId, message_id: mid });
  }

  private createContainer(params: JsonObject): Answer {
    const mediaUrl = typeof params.image_url === 'string' ? params.image_url : typeof params.video_url === 'string' ? params.video_url : undefined;
    if (params.media_type === 'CAROUSEL') {
      const children = Array.isArray(params.children) ? params.children.map(String) : String(params.children ?? '').split(',').filter(Boolean);
      if (children.length < 2 || children.length > 10) return bad(100, 'A carousel needs between 2 and 10 children', 2207025);
      const unknown = children.find((child) => this.containers.get(child)?.params.is_carousel_item === undefined);
      if (unknown) return bad(100, `Invalid carousel child ${unknown}`, 2207001);
    } else if (mediaUrl === undefined) {
      return bad(100, 'The parameter image_url or video_url is required');
    }
    const container: Container = {
      id: newId(), params, polls: 0, published: false,
      outcome: mediaUrl !== undefined && this.failingMediaUrls.has(mediaUrl) ? 'ERROR' : 'FINISHED',
    };
    this.containers.set(container.id, container);
    return ok({ id: container.id });
  }

  private pollContainer(container: Container): Answer {
    container.polls += 1;
    const ready = container.polls > this.pollsUntilReady;
    const status_code = container.published ? 'PUBLISHED' : ready ? container.outcome : 'IN_PROGRESS';
    const status = status_code === 'ERROR' ? 'Error: Media ID could not be fetched from the URL: the media format is not supported (2207026)' : status_code;
    return ok({ id: container.id, status_code, status });
  }

  private publish(params: JsonObject): Answer {
    const container = this.containers.get(String(params.creation_id ?? ''));
    if (!container) return bad(100, 'The parameter creation_id is required or not valid');
    if (container.polls <= this.pollsUntilReady || container.outcome !== 'FINISHED' || container.published) {
      return bad(9007, 'Media ID is not available', 2207027);
    }
    container.published = true;
    const id = newId();
    this.published.push({ id, creationId: container.id, params: container.params });
    this.media.push({ id, timestamp: graphTime(Date.now()), caption: typeof container.params.caption === 'string' ? container.params.caption : undefined, mediaType: String(container.params.media_type ?? 'IMAGE'), comments: [] });
    return ok({ id });
  }

  private listMedia(): FakeMedia[] {
    return [...this.media].sort(newestFirst);
  }
}

function newestFirst(a: { timestamp: string }, b: { timestamp: string }): number {
  return Date.parse(b.timestamp) - Date.parse(a.timestamp);
}

function mediaJson(media: FakeMedia): JsonObject {
  return {
    id: media.id, timestamp: media.timestamp, caption: media.caption ?? '', media_type: media.mediaType ?? 'IMAGE',
    comments_count: media.comments.length, permalink: `https://www.instagram.com/p/${media.id}/`,
  };
}

function commentJson(comment: FakeComment, replies?: FakeComment[]): JsonObject {
  const json: JsonObject = {
    id: comment.id, text: comment.text, timestamp: comment.timestamp, username: comment.from.username,
    from: { id: comment.from.id, username: comment.from.username }, hidden: comment.hidden ?? false,
  };
  if (comment.parentId !== undefined) json.parent_id = comment.parentId;
  if (replies) json.replies = { data: replies.map((r) => commentJson(r)) };
  return json;
}

/** Graph's cursor paging: `limit` (default 25) and `after`, with `paging.next` while more remain. */
function page<T>(items: T[], query: Record<string, string>, toJson: (item: T) => JsonObject): JsonObject {
  const limit = Math.min(Math.max(Number(query.limit ?? 25) || 25, 1), 100);
  const start = query.after ? Number(Buffer.from(query.after, 'base64url').toString()) || 0 : 0;
  const slice = items.slice(start, start + limit);
  const after = Buffer.from(String(start + slice.length)).toString('base64url');
  const paging: JsonObject = { cursors: { before: Buffer.from(String(start)).toString('base64url'), after } };
  if (start + slice.length < items.length) paging.next = `after=${after}`;
  return { data: slice.map(toJson), paging };
}
