import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Characters of the signature kept in a token (192 bits of base64url). */
const SIGNATURE_CHARS = 32;

/**
 * The resume URL of an execution (`$execution.resumeUrl`), known before any Wait runs so a flow can
 * send it first (an approval email, then a Wait for "resume"). The token is the execution id and
 * its HMAC under a key derived from the encryption key: unguessable, nothing stored, and valid for
 * whichever resumable Wait the execution is parked in when it is called.
 */
export interface ResumeTokens {
  /** The token for an execution. */
  forExecution(executionId: string): string;
  /** The execution a token was made for; undefined when it is not such a token or is forged. */
  executionOf(token: string): string | undefined;
}

export function createResumeTokens(encryptionKey: Buffer): ResumeTokens {
  // A key of its own: a resume token must never double as anything the vault signs or encrypts.
  const key = createHash('sha256').update('switchyard resume url\0').update(encryptionKey).digest();
  const sign = (executionId: string) => createHmac('sha256', key).update(executionId).digest('base64url').slice(0, SIGNATURE_CHARS);
  return {
    forExecution: (executionId) => `${executionId}.${sign(executionId)}`,
    executionOf(token) {
      const dot = token.lastIndexOf('.');
      if (dot < 1 || token.length - dot - 1 !== SIGNATURE_CHARS) return undefined;
      const executionId = token.slice(0, dot);
      const given = Buffer.from(token.slice(dot + 1));
      const expected = Buffer.from(sign(executionId));
      return given.length === expected.length && timingSafeEqual(given, expected) ? executionId : undefined;
    },
  };
}
