import { createHash, randomFillSync } from 'node:crypto';

/** Random bytes drawn 4 KB at a time: one system call per 256 ids instead of one per id. */
const pool = Buffer.alloc(4096);
let offset = pool.length;

/**
 * A time-ordered UUID (version 7, RFC 9562): 48 bits of Unix milliseconds, then 74 random bits.
 * Row ids of the tables written per message (executions, channel events, conversation messages,
 * contacts) use it so their primary-key indexes grow at the right edge, as a sequence's would:
 * a new key lands on a page that is already in memory and already dirty since the last checkpoint,
 * instead of on a random page that costs a read and a full-page image (decision 045). Ids stay
 * unguessable enough to be URLs' ids as before (74 random bits); they do reveal when they were made.
 */
export function timeOrderedId(now = Date.now()): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const b = pool.subarray(offset, offset + 16);
  offset += 16;
  writeTime(b, now);
  return format(b);
}

/**
 * A version-7 id derived from a row's id and a key: the same two always give the same id, and it
 * carries the row id's time, so it sorts near it. Work that must start exactly once per (recorded
 * row, key), such as one execution per channel event and trigger, takes this id: a repeat computes
 * the same id and its insert conflicts, with no dedupe row to write (decision 045). A row id that is
 * not a UUID gives a well-spread id instead of a time-ordered one.
 */
export function idFollowing(rowId: string, key: string): string {
  const b = createHash('sha256').update(rowId).update('\0').update(key).digest();
  const hex = rowId.replace(/-/g, '');
  if (/^[0-9a-f]{32}$/i.test(hex)) b.write(hex.slice(0, 12), 0, 'hex');
  return format(b);
}

function writeTime(b: Buffer, now: number): void {
  // 48-bit big-endian milliseconds; `>>>` takes the low 32 bits, the divisions the high 16.
  b[0] = Math.floor(now / 2 ** 40) & 0xff;
  b[1] = Math.floor(now / 2 ** 32) & 0xff;
  b[2] = (now >>> 24) & 0xff;
  b[3] = (now >>> 16) & 0xff;
  b[4] = (now >>> 8) & 0xff;
  b[5] = now & 0xff;
}

/** Sets the version and variant bits of 16 bytes and writes them as a UUID. */
function format(b: Buffer): string {
  b[6] = (b[6]! & 0x0f) | 0x70; // version 7
  b[8] = (b[8]! & 0x3f) | 0x80; // variant 10
  const hex = b.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
