import { CreateRefundRules, type Metadata, type RefundReason } from '@finfusion/contracts';
import type { Parsed } from '../create-payment/create-payment.request';
import { readFields } from '../request-fields';

export interface CreateRefundRequest {
  paymentId: string;
  /** Absent: all that is left to refund. */
  amount?: number;
  reason?: RefundReason;
  metadata: Metadata;
}

/** refunds.create, checked with the API's rules: the gateway is not the only possible sender. */
export function parseCreateRefund(payload: unknown): Parsed<CreateRefundRequest> {
  const read = readFields(payload, CreateRefundRules, ['payment']);
  if (!read.ok) return read;
  const { payment, amount, reason, metadata } = read.value;
  return {
    ok: true,
    value: {
      paymentId: payment as string,
      ...(amount !== undefined && { amount: amount as number }),
      ...(reason !== undefined && { reason: reason as RefundReason }),
      metadata: { ...(metadata as Metadata | undefined) },
    },
  };
}
