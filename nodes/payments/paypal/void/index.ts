import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { idText } from '../../_shared/props.js';
import { recordPayments } from '../../_shared/ledger.js';
import { clientFor, credentialSlots, requestId } from '../props.js';

const props = z.object({
  authorizationId: ui(idText(z.string().trim().min(1, 'enter the authorization id')), { title: 'Authorization id', description: 'From Authorize', placeholder: '{{ $json.authorizationId }}' }),
});

/** Voids an authorization that was not captured (the held funds are released). */
export default defineNode({
  type: 'paypal.void',
  version: 1,
  title: 'PayPal: void authorization',
  category: 'Payments',
  description: 'Releases an authorization that will not be captured',
  icon: 'octagon',
  props,
  credentials: credentialSlots,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, _input, p) {
    await clientFor(ctx).voidAuthorization(p.authorizationId, requestId(ctx));
    await recordPayments(ctx, 'paypal', [{ objectType: 'authorization', providerId: p.authorizationId, status: 'voided' }]);
    return { main: { authorizationId: p.authorizationId, status: 'VOIDED' } };
  },
});
