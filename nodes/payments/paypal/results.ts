import { isJsonObject, type Json } from '@switchyard/sdk';
import type { PayPalObject } from './client.js';

/** The first capture and authorization ids of an order (what capture, void and refund need next). */
export function paymentsOf(order: PayPalObject): { captureId: string | null; authorizationId: string | null } {
  const unit = Array.isArray(order.purchase_units) && isJsonObject(order.purchase_units[0]) ? order.purchase_units[0] : undefined;
  const payments = isJsonObject(unit?.payments) ? unit.payments : undefined;
  const first = (list: Json | undefined) => (Array.isArray(list) && isJsonObject(list[0]) && typeof list[0].id === 'string' ? list[0].id : null);
  return { captureId: first(payments?.captures), authorizationId: first(payments?.authorizations) };
}
