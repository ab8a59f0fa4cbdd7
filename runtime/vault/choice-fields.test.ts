import { describe, expect, it } from 'vitest';
import aiProvider from '../../nodes/ai/provider/credential.js';
import paypalKind from '../../nodes/payments/paypal/credential.js';
import { choiceFields, secretFields } from './credential-fields.js';
import { REDACTED, Redactor } from './redact.js';

describe('credential fields picked from a fixed set', () => {
  it('are the enums of a kind, never its secrets', () => {
    expect([...choiceFields(paypalKind)]).toEqual(['environment']);
    expect(choiceFields(aiProvider).has('preset')).toBe(true);
    for (const kind of [paypalKind, aiProvider]) {
      for (const name of secretFields(kind)) expect(choiceFields(kind).has(name)).toBe(false);
    }
  });

  it('are not learned by the redactor, so a step record that says "sandbox" keeps it while the secret goes', () => {
    const credential = { kind: 'paypal', fields: { clientId: 'AcLientId-123', clientSecret: 'EPaypalSecret-456', environment: 'sandbox', webhookId: 'WH-1' } };
    const redactor = new Redactor().learnCredential(credential, { choiceFields: choiceFields(paypalKind) });
    const approval = 'https://www.sandbox.paypal.com/checkoutnow?token=5O190127TN364715T';
    expect(redactor.redact({ approvalUrl: approval, echoed: 'secret EPaypalSecret-456' })).toEqual({ approvalUrl: approval, echoed: `secret ${REDACTED}` });
    // Without the kind's choices every field is learned (the safe default for a kind the vault does not know).
    expect(new Redactor().learnCredential(credential).redactString(approval)).toContain(REDACTED);
  });
});
