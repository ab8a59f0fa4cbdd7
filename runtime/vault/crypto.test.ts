import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, loadEncryptionKey, parseEncryptionKey } from './crypto.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-vault-'));
  dirs.push(dir);
  return dir;
}

describe('encryptSecret / decryptSecret', () => {
  const key = randomBytes(32);

  it('round-trips, with a fresh iv each time, as base64 of iv|tag|ciphertext', () => {
    const a = encryptSecret(key, 'p@ssw0rd – ünïcode');
    const b = encryptSecret(key, 'p@ssw0rd – ünïcode');
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64').length).toBe(12 + 16 + Buffer.byteLength('p@ssw0rd – ünïcode'));
    expect(a).not.toContain('p@ssw0rd');
    expect(decryptSecret(key, a)).toBe('p@ssw0rd – ünïcode');
  });

  it('fails on a wrong key, tampered data or a different aad', () => {
    const sealed = encryptSecret(key, 'secret', 'credential:ws:1');
    expect(decryptSecret(key, sealed, 'credential:ws:1')).toBe('secret');
    expect(() => decryptSecret(randomBytes(32), sealed, 'credential:ws:1')).toThrow(/wrong encryption key/);
    expect(() => decryptSecret(key, sealed, 'credential:ws:2')).toThrow(/cannot decrypt/);
    const bytes = Buffer.from(sealed, 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    expect(() => decryptSecret(key, bytes.toString('base64'), 'credential:ws:1')).toThrow(/cannot decrypt/);
    expect(() => encryptSecret(randomBytes(16), 'x')).toThrow(/32 bytes/);
  });
});

describe('parseEncryptionKey', () => {
  it('accepts 64 hex characters or base64 of 32 bytes', () => {
    const raw = randomBytes(32);
    expect(parseEncryptionKey(raw.toString('hex')).equals(raw)).toBe(true);
    expect(parseEncryptionKey(raw.toString('base64')).equals(raw)).toBe(true);
    expect(parseEncryptionKey(raw.toString('base64url')).equals(raw)).toBe(true);
  });

  it.each(['', 'short', 'z'.repeat(64), randomBytes(16).toString('hex'), randomBytes(31).toString('base64')])(
    'refuses %j with a clear message', (text) => {
      expect(() => parseEncryptionKey(text)).toThrow(/SWITCHYARD_ENCRYPTION_KEY must be 32 bytes written as 64 hex characters or base64/);
    },
  );
});

describe('loadEncryptionKey', () => {
  it('uses the configured key when set, and writes nothing', () => {
    const dataDir = tempDir();
    const hex = randomBytes(32).toString('hex');
    expect(loadEncryptionKey({ encryptionKey: hex, dataDir }).toString('hex')).toBe(hex);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('generates a key once under the data dir (mode 0600) and reuses it', () => {
    const dataDir = path.join(tempDir(), 'nested');
    const first = loadEncryptionKey({ dataDir });
    const file = path.join(dataDir, 'encryption.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(first).toHaveLength(32);
    expect(loadEncryptionKey({ dataDir }).equals(first)).toBe(true);
    expect(fs.readdirSync(dataDir)).toEqual(['encryption.key']);
  });

  it('names the file when the stored key is broken', () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'encryption.key'), 'nonsense');
    expect(() => loadEncryptionKey({ dataDir })).toThrow(/encryption\.key must be 32 bytes/);
  });
});
