import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Characters of the signature kept in a link (192 bits of base64url). */
const SIGNATURE_CHARS = 32;

/**
 * Signed links to an escalation in the inbox, sent to its assignees. The signature is the
 * escalation id's HMAC under a key of its own derived from the encryption key, so a link in a
 * notification can be told apart from an id someone typed or changed; nothing is stored.
 */
export interface EscalationLinks {
  /** `<publicUrl>/escalations/<id>?sig=<signature>`. */
  linkFor(escalationId: string): string;
  /** Whether `signature` was made for `escalationId`. */
  verify(escalationId: string, signature: string): boolean;
}

export function createEscalationLinks(encryptionKey: Buffer, publicUrl: string): EscalationLinks {
  const key = createHash('sha256').update('switchyard escalation link\0').update(encryptionKey).digest();
  const sign = (id: string) => createHmac('sha256', key).update(id).digest('base64url').slice(0, SIGNATURE_CHARS);
  return {
    linkFor: (id) => `${publicUrl}/escalations/${encodeURIComponent(id)}?sig=${sign(id)}`,
    verify(id, signature) {
      const given = Buffer.from(signature);
      const expected = Buffer.from(sign(id));
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
