import { CancelPaymentRules, type RequestedCancellationReason } from '@finfusion/contracts';
import type { Parsed } from '../create-payment/create-payment.request';
import { PaymentActions } from '../payment.errors';
import { readFields, splitPaymentId } from '../request-fields';

export interface CancelPaymentRequest {
  paymentId: string;
  reason?: RequestedCancellationReason;
}

/** payments.cancel, checked with the API's rules: the gateway is not the only possible sender. */
export function parseCancelPayment(payload: unknown): Parsed<CancelPaymentRequest> {
  const named = splitPaymentId(payload, PaymentActions.cancel);
  if (!named.ok) return named;
  const read = readFields(named.value.body, CancelPaymentRules);
  if (!read.ok) return read;
  const reason = read.value.cancellation_reason as RequestedCancellationReason | undefined;
  return {
    ok: true,
    value: { paymentId: named.value.paymentId, ...(reason !== undefined && { reason }) },
  };
}
