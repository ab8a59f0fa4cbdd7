import type { InboundEvent, Json, TriggerLifecycleContext } from '@switchyard/sdk';
import { mailError, openImap } from '../connect.js';
import { imapFields } from '../credentials.js';
import { emailEvent, oversizeEvent, parseMail, type MessagePlace } from './parse.js';

/** Where the last poll stopped: new mail is mail with a UID above `lastUid` in this UIDVALIDITY. */
export interface ImapCursor { mailbox: string; uidValidity: number; lastUid: number }

/** What a poll needs from the trigger's props. */
export interface PollOptions {
  mailbox?: string;
  markSeen: boolean;
  startWith: 'new' | 'unseen';
  maxPerPoll: number;
  maxAttachmentBytes: number;
  maxMessageBytes: number;
}

function readCursor(value: Json | null): ImapCursor | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { mailbox, uidValidity, lastUid } = value;
  if (typeof mailbox !== 'string' || typeof uidValidity !== 'number' || typeof lastUid !== 'number') return undefined;
  return { mailbox, uidValidity, lastUid };
}

/**
 * One poll: opens the folder (read-only unless marking as seen), finds the mail after the cursor,
 * parses it, and returns the events oldest first with the cursor after the last one. The first
 * poll, and a poll after the server renumbered the folder (UIDVALIDITY changed), starts from what
 * `startWith` says instead. Failures throw: the gateway counts them and marks the trigger failing.
 */
export async function pollMailbox(ctx: TriggerLifecycleContext, options: PollOptions, previous: Json | null): Promise<{ events: InboundEvent[]; cursor: Json }> {
  const fields = ctx.account.fields;
  const mailbox = options.mailbox || fields.mailbox || 'INBOX';
  const client = await openImap(imapFields(fields), ctx.http, ctx.signal);
  try {
    const lock = await client.getMailboxLock(mailbox, { readOnly: !options.markSeen });
    try {
      const opened = client.mailbox;
      if (!opened) throw new Error(`the folder "${mailbox}" could not be opened`);
      const uidValidity = Number(opened.uidValidity);
      const cursor = readCursor(previous);
      const continuing = cursor !== undefined && cursor.mailbox === mailbox && cursor.uidValidity === uidValidity;
      if (cursor && !continuing) ctx.log.warn('IMAP folder renumbered or changed: starting over', { mailbox, uidValidity });
      let uids: number[];
      if (continuing) {
        // `n:*` always matches the last message, even below n: keep only what is really new.
        const found = await client.search({ uid: `${cursor.lastUid + 1}:*` }, { uid: true });
        uids = (found || []).filter((uid) => uid > cursor.lastUid);
      } else if (options.startWith === 'unseen') {
        uids = (await client.search({ seen: false }, { uid: true })) || [];
      } else {
        return { events: [], cursor: { mailbox, uidValidity, lastUid: Math.max(opened.uidNext - 1, 0) } };
      }
      uids = [...new Set(uids)].sort((a, b) => a - b).slice(0, options.maxPerPoll);
      const lastUid = uids.at(-1) ?? (continuing ? cursor.lastUid : Math.max(opened.uidNext - 1, 0));
      if (uids.length === 0) return { events: [], cursor: { mailbox, uidValidity, lastUid } };

      const events: InboundEvent[] = [];
      // Sizes first, so a huge message is described from its envelope instead of downloaded.
      const heads = await client.fetchAll(uids, { uid: true, size: true, flags: true, envelope: true }, { uid: true });
      for (const head of heads.sort((a, b) => a.uid - b.uid)) {
        const place: MessagePlace = { mailbox, uidValidity, uid: head.uid, flags: [...(head.flags ?? [])] };
        if ((head.size ?? 0) > options.maxMessageBytes) {
          events.push(oversizeEvent(place, head.size ?? 0, head.envelope, options.maxMessageBytes));
          continue;
        }
        const message = await client.fetchOne(String(head.uid), { uid: true, source: true }, { uid: true });
        if (!message || !message.source) throw new Error(`message UID ${head.uid} could not be read`);
        events.push(emailEvent(await parseMail(message.source), place, options.maxAttachmentBytes));
      }
      if (options.markSeen) await client.messageFlagsAdd(uids, ['\\Seen'], { uid: true });
      return { events, cursor: { mailbox, uidValidity, lastUid } };
    } finally {
      lock.release();
    }
  } catch (error) {
    throw mailError('IMAP', error);
  } finally {
    await client.logout().catch(() => client.close());
  }
}
