import { z } from 'zod';
import { defineCredentialKind, ui } from '@switchyard/sdk';
import { testUrlField, testWithUrl } from './http-test.js';

/** An HTTP header token (RFC 9110 `token`), so a stored name is always sendable. */
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A custom header carrying the secret, e.g. `X-API-Key: …`. */
export default defineCredentialKind({
  kind: 'http-header',
  title: 'HTTP header',
  description: 'Sends one header with a secret value, e.g. "X-API-Key".',
  schema: z.object({
    name: ui(z.string().regex(headerName, 'name must be a valid HTTP header name'), {
      title: 'Header name',
      placeholder: 'X-API-Key',
      expression: false,
    }),
    // No CR/LF: a value that ends a header line could smuggle in headers of its own.
    value: ui(z.string().min(1, 'value is required').regex(/^[^\r\n]*$/, 'value must be one line'), {
      title: 'Header value',
      secret: true,
      expression: false,
    }),
    testUrl: testUrlField,
  }),
  test: (fields, ctx) => testWithUrl(fields, ctx, fields.name ? { [fields.name]: fields.value ?? '' } : {}),
});
