import { z } from 'zod';
import { defineCredentialKind, ui } from '@switchyard/sdk';
import { testUrlField, testWithUrl } from './http-test.js';

/** HTTP Basic auth (RFC 7617): the username may not contain a colon, it would end the username early. */
export default defineCredentialKind({
  kind: 'http-basic',
  title: 'HTTP basic auth',
  description: 'Sends "Authorization: Basic base64(username:password)".',
  schema: z.object({
    username: ui(z.string().min(1, 'username is required').refine((v) => !v.includes(':'), 'username must not contain ":"'), {
      title: 'Username',
      expression: false,
    }),
    password: ui(z.string(), { title: 'Password', secret: true, expression: false }),
    testUrl: testUrlField,
  }),
  test: (fields, ctx) => testWithUrl(fields, ctx, {
    authorization: `Basic ${Buffer.from(`${fields.username ?? ''}:${fields.password ?? ''}`).toString('base64')}`,
  }),
});
