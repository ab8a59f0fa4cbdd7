import { z } from 'zod';
import { defineCredentialKind, ui } from '@switchyard/sdk';

/** A shared secret for HMAC-SHA256 webhook signatures (verifying inbound, signing outbound). */
export default defineCredentialKind({
  kind: 'hmac-secret',
  title: 'HMAC signing secret',
  description: 'Shared secret for HMAC-SHA256 signatures over the raw body.',
  schema: z.object({
    secret: ui(z.string().min(1, 'secret is required'), { title: 'Secret', secret: true, expression: false }),
    /** Default: 'x-signature-256'. */
    header: ui(z.string().min(1).default('x-signature-256'), { title: 'Signature header', expression: false }),
    /** Default: 'sha256='. */
    prefix: ui(z.string().default('sha256='), { title: 'Signature prefix', description: 'Text before the hex digest.', expression: false }),
  }),
});
