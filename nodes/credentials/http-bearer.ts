import { z } from 'zod';
import { defineCredentialKind, ui } from '@switchyard/sdk';
import { testUrlField, testWithUrl } from './http-test.js';

/** `Authorization: Bearer <token>`. */
export default defineCredentialKind({
  kind: 'http-bearer',
  title: 'HTTP bearer token',
  description: 'Sends "Authorization: Bearer <token>".',
  schema: z.object({
    token: ui(z.string().min(1, 'token is required'), { title: 'Token', secret: true, expression: false }),
    testUrl: testUrlField,
  }),
  test: (fields, ctx) => testWithUrl(fields, ctx, { authorization: `Bearer ${fields.token ?? ''}` }),
});
