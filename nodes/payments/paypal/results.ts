import { isJsonObject, type Json } from '@switchyard/sdk';
import { minorOf, type PayPalObject } from './client.js';

/**
 * The first capture and authorization ids of an order (what capture, void and refund need next),
 * and the first capture's amount in minor units (what the ledger records as the money taken).
 */
export function paymentsOf(order: PayPalObject): { captureId: string | null; authorizationId: string | null; captureAmount?: { minor: number; currency: string } } {
  const unit = Array.isArray(order.purchase_units) && isJsonObject(order.purchase_units[0]) ? order.purchase_units[0] : undefined;
  const payments = isJsonObject(unit?.payments) ? unit.payments : undefined;
  const first = (list: Json | undefined) => (Array.isArray(list) && isJsonObject(list[0]) && typeof list[0].id === 'string' ? list[0].id : null);
  const capture = Array.isArray(payments?.captures) && isJsonObject(payments.captures[0]) ? payments.captures[0] : undefined;
  const captureAmount = minorOf(capture?.amount);
  return { captureId: first(payments?.captures), authorizationId: first(payments?.authorizations), ...(captureAmount ? { captureAmount } : {}) };
}
