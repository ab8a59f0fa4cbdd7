import { z } from 'zod';
import { defineNode, ui, type PortOutputs } from '@switchyard/sdk';
import { combineSchema, conditionListSchema, evaluateConditions } from '../_shared/conditions.js';

/** Output port ids a rule may not take: the fallback port and the port `onError: route` adds. */
const RESERVED_PORTS = new Set(['default', 'error']);

const rule = z.object({
  /**
   * Output port id, e.g. `vip`: lowercase letters, digits, `-` and `_`. Not an expression (the hint tells
   * the editor): edges attach to port ids, which must be known when the flow is saved.
   */
  port: ui(
    z.string().trim().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'use lowercase letters, digits, - and _ (up to 40), like vip or high-value'),
    { title: 'Output', description: 'Id of the output this rule sends to, e.g. vip', placeholder: 'vip', expression: false },
  ),
  /** Shown on the port in the editor; defaults to the port id. */
  label: ui(z.string().max(80).optional(), { title: 'Label', description: 'Shown on the output in the editor', expression: false }),
  conditions: conditionListSchema,
  combine: combineSchema,
});

const props = z.object({
  /** Checked in order. Default: none (everything goes to `default`). */
  rules: ui(
    z.array(rule).default([]).superRefine((rules, ctx) => {
      const seen = new Set<string>();
      rules.forEach((r, index) => {
        if (RESERVED_PORTS.has(r.port)) {
          ctx.addIssue({ code: 'custom', path: [index, 'port'], message: `"${r.port}" is reserved; pick another output id` });
        } else if (seen.has(r.port)) {
          ctx.addIssue({ code: 'custom', path: [index, 'port'], message: `output "${r.port}" is used by an earlier rule` });
        }
        seen.add(r.port);
      });
    }),
    { title: 'Rules', description: 'Each rule sends the message to its own output when its conditions hold' },
  ),
  /** Default: 'first'. */
  mode: ui(z.enum(['first', 'all']).default('first'), {
    title: 'Mode',
    description: 'Which matching rules send the message on',
    enumLabels: { first: 'Only the first matching rule', all: 'Every matching rule' },
  }),
});

/**
 * Routes the message, unchanged, to the output of the first (or every) matching rule, or to `default`
 * when none matches. Its outputs are its rules' ports, so they change as rules are edited.
 */
export default defineNode({
  type: 'core.switch',
  version: 1,
  title: 'Switch',
  category: 'Flow',
  description: 'Sends the message to the output of the rule it matches, or to default',
  icon: 'route',
  props,
  ports: { in: ['main'], out: (p) => [...p.rules.map((r) => r.port), 'default'] },
  sideEffects: false,
  run(_ctx, input, { rules, mode }) {
    const outputs: PortOutputs = {};
    for (const r of rules) {
      if (!evaluateConditions(r.conditions, r.combine)) continue;
      outputs[r.port] = input;
      if (mode === 'first') break;
    }
    return Object.keys(outputs).length > 0 ? outputs : { default: input };
  },
});
