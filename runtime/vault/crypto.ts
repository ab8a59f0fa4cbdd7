import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SwitchyardConfig } from '../config/env.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error(`encryption key must be ${KEY_BYTES} bytes, got ${key.length}`);
}

/**
 * AES-256-GCM. Returns base64 of iv (12 random bytes) | tag (16) | ciphertext. `aad` (optional) binds
 * the ciphertext to its context, e.g. the credential row, so a copied `secret` column will not decrypt
 * elsewhere; the same `aad` must be given to {@link decryptSecret}.
 */
export function encryptSecret(key: Buffer, plaintext: string, aad?: string): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}

/** Inverse of {@link encryptSecret}; throws when the key, the `aad` or the data is wrong (GCM authenticates all three). */
export function decryptSecret(key: Buffer, sealed: string, aad?: string): string {
  assertKey(key);
  const data = Buffer.from(sealed, 'base64');
  if (data.length < IV_BYTES + TAG_BYTES) throw new Error('encrypted secret is too short to be valid');
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
  decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
  try {
    return Buffer.concat([decipher.update(data.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    // Node's message ("Unsupported state or unable to authenticate data") hides the likely cause.
    throw new Error('cannot decrypt secret: wrong encryption key (SWITCHYARD_ENCRYPTION_KEY changed?) or corrupted data');
  }
}

/** Parses a key given as 64 hex characters or as base64 of exactly 32 bytes. */
export function parseEncryptionKey(text: string, source = 'SWITCHYARD_ENCRYPTION_KEY'): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed, trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64');
    if (bytes.length === KEY_BYTES) return bytes;
  }
  throw new Error(
    `${source} must be 32 bytes written as 64 hex characters or base64 (e.g. the output of \`openssl rand -hex 32\`); got ${trimmed.length} characters`,
  );
}

/** Where the generated key lives when no key is configured. */
export function encryptionKeyPath(config: Pick<SwitchyardConfig, 'dataDir'>): string {
  return path.join(config.dataDir, 'encryption.key');
}

/**
 * The credential encryption key: `config.encryptionKey` (SWITCHYARD_ENCRYPTION_KEY) when set; otherwise
 * the key in `<dataDir>/encryption.key`, generated (mode 0600) on first use and reused after.
 */
export function loadEncryptionKey(config: Pick<SwitchyardConfig, 'encryptionKey' | 'dataDir'>): Buffer {
  if (config.encryptionKey) return parseEncryptionKey(config.encryptionKey);
  const file = encryptionKeyPath(config);
  fs.mkdirSync(config.dataDir, { recursive: true });
  if (!fs.existsSync(file)) {
    // Written aside, then hard-linked into place: link fails if the file exists, so two processes
    // starting at once agree on one key, and neither can read a half-written file.
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(temp, `${randomBytes(KEY_BYTES).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    try {
      fs.linkSync(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }
  return parseEncryptionKey(fs.readFileSync(file, 'utf8'), file);
}
