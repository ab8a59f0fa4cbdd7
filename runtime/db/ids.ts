import { randomFillSync } from 'node:crypto';

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
  // 48-bit big-endian milliseconds; `>>>` takes the low 32 bits, the divisions the high 16.
  b[0] = Math.floor(now / 2 ** 40) & 0xff;
  b[1] = Math.floor(now / 2 ** 32) & 0xff;
  b[2] = (now >>> 24) & 0xff;
  b[3] = (now >>> 16) & 0xff;
  b[4] = (now >>> 8) & 0xff;
  b[5] = now & 0xff;
  b[6] = (b[6]! & 0x0f) | 0x70; // version 7
  b[8] = (b[8]! & 0x3f) | 0x80; // variant 10
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
