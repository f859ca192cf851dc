import { CapturePaymentRules } from '@finfusion/contracts';
import type { Parsed } from '../create-payment/create-payment.request';
import { PaymentActions } from '../payment.errors';
import { readFields, splitPaymentId } from '../request-fields';

export interface CapturePaymentRequest {
  paymentId: string;
  /** Absent: the whole amount authorized. */
  amountToCapture?: number;
}

/** payments.capture, checked with the API's rules: the gateway is not the only possible sender. */
export function parseCapturePayment(payload: unknown): Parsed<CapturePaymentRequest> {
  const named = splitPaymentId(payload, PaymentActions.capture);
  if (!named.ok) return named;
  const read = readFields(named.value.body, CapturePaymentRules);
  if (!read.ok) return read;
  const amount = read.value.amount_to_capture as number | undefined;
  return {
    ok: true,
    value: {
      paymentId: named.value.paymentId,
      ...(amount !== undefined && { amountToCapture: amount }),
    },
  };
}
