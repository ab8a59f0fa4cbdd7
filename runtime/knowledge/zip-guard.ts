import zlib from 'node:zlib';
import { SourceError } from './errors.js';

/** Options of {@link checkZipSize}. */
export interface ZipLimits {
  /** Total bytes all entries may inflate to. Default: 50 MiB. */
  maxUncompressedBytes?: number;
  /** Entries a document may hold. Default: 5,000. */
  maxEntries?: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/**
 * Inflates every entry of a ZIP (a DOCX) with a cap, before mammoth sees it: a zip bomb's entries
 * claim small sizes in their headers and inflate to gigabytes, so the declared sizes are checked
 * first and the real inflation is then bounded by zlib's `maxOutputLength` (the headers may lie).
 * Throws a {@link SourceError} naming the limit.
 */
export function checkZipSize(data: Buffer, limits: ZipLimits = {}): void {
  const maxBytes = limits.maxUncompressedBytes ?? 50 * 1024 * 1024;
  const maxEntries = limits.maxEntries ?? 5_000;
  const eocd = findEndOfCentralDirectory(data);
  const entries = data.readUInt16LE(eocd + 10);
  let offset = data.readUInt32LE(eocd + 16);
  if (entries > maxEntries) throw new SourceError(`the document holds ${entries} files, more than the ${maxEntries} allowed`);
  let budget = maxBytes;
  for (let i = 0; i < entries; i++) {
    if (offset + 46 > data.length || data.readUInt32LE(offset) !== CENTRAL_SIGNATURE) throw new SourceError('not a readable DOCX: its ZIP directory is corrupt');
    const method = data.readUInt16LE(offset + 10);
    const compressedSize = data.readUInt32LE(offset + 20);
    const declaredSize = data.readUInt32LE(offset + 24);
    const nameLength = data.readUInt16LE(offset + 28);
    const extraLength = data.readUInt16LE(offset + 30);
    const commentLength = data.readUInt16LE(offset + 32);
    const localOffset = data.readUInt32LE(offset + 42);
    if (declaredSize === 0xffffffff || compressedSize === 0xffffffff) throw new SourceError('the document is a ZIP64 archive, which is refused (a DOCX never needs one)');
    if (declaredSize > budget) throw new SourceError(`the document inflates to more than ${formatBytes(maxBytes)} (a ZIP bomb?)`);
    budget -= inflatedSize(data, localOffset, method, compressedSize, budget, maxBytes);
    offset += 46 + nameLength + extraLength + commentLength;
  }
}

/** Bytes the entry really inflates to, at most `budget` (else a SourceError). */
function inflatedSize(data: Buffer, localOffset: number, method: number, compressedSize: number, budget: number, maxBytes: number): number {
  if (localOffset + 30 > data.length || data.readUInt32LE(localOffset) !== LOCAL_SIGNATURE) throw new SourceError('not a readable DOCX: a ZIP entry is corrupt');
  const start = localOffset + 30 + data.readUInt16LE(localOffset + 26) + data.readUInt16LE(localOffset + 28);
  const compressed = data.subarray(start, start + compressedSize);
  if (method === 0) {
    if (compressed.length > budget) throw new SourceError(`the document inflates to more than ${formatBytes(maxBytes)} (a ZIP bomb?)`);
    return compressed.length;
  }
  if (method !== 8) throw new SourceError(`not a readable DOCX: a ZIP entry uses compression method ${method}`);
  try {
    return zlib.inflateRawSync(compressed, { maxOutputLength: Math.max(1, budget) }).length;
  } catch (error) {
    if (error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new SourceError(`the document inflates to more than ${formatBytes(maxBytes)} (a ZIP bomb?)`);
    }
    throw new SourceError('not a readable DOCX: a ZIP entry does not inflate');
  }
}

function findEndOfCentralDirectory(data: Buffer): number {
  // The record is 22 bytes plus a comment of up to 65,535.
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 65_535); i--) {
    if (data.readUInt32LE(i) === EOCD_SIGNATURE) return i;
  }
  throw new SourceError('not a readable DOCX: it is not a ZIP archive');
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
