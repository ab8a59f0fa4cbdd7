import { z } from 'zod';
import { defineNode } from '@switchyard/sdk';
import { linkCheck } from '../_shared/checks.js';
import { allowedDomainsField } from '../_shared/fields.js';
import { recordCheck } from '../_shared/decision.js';
import { resultJson, routeResult, textField } from '../_shared/result.js';

const props = z.object({ text: textField, allowedDomains: allowedDomainsField });
export type UrlAllowlistProps = z.infer<typeof props>;

/** Fails when the text links anywhere but the allowed domains (a drafted reply may link only to the business). */
export default defineNode({
  type: 'guardrails.url-allowlist',
  version: 1,
  title: 'Link allow-list',
  category: 'Guardrails',
  description: 'Fails when the text links to a domain that is not on the list',
  icon: 'shield',
  props,
  ports: { in: ['main'], out: ['pass', 'fail'] },
  sideEffects: false,
  async run(ctx, input, p) {
    const started = performance.now();
    const result = linkCheck(p.text, p.allowedDomains);
    await recordCheck(ctx, p.text, result.passed, [result], started);
    return routeResult(input, result.passed, resultJson(result));
  },
});
