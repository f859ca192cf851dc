import type {
  PaymentFailure,
  Payment as PaymentResource,
  Refund as RefundResource,
} from '@finfusion/contracts';
import type { Failure } from './domain/payment.events';
import { amountRefunded, type Payment, type Refund } from './domain/payment';

const toFailureResource = (failure: Failure): PaymentFailure => ({
  code: failure.code,
  ...(failure.declineCode !== undefined && { decline_code: failure.declineCode }),
  message: failure.message,
});

/** The payment as the API returns it: no merchant, fingerprint, references or version. */
export function toPaymentResource(payment: Payment): PaymentResource {
  const { card } = payment.paymentMethod;
  const { currency } = payment.amount;
  return {
    id: payment.id,
    object: 'payment',
    status: payment.status,
    amount: { value: payment.amount.value, currency },
    amount_captured: { value: payment.amountCaptured, currency },
    amount_refunded: { value: amountRefunded(payment), currency },
    capture_method: payment.captureMethod,
    capture_before: payment.captureBefore,
    payment_method: {
      id: payment.paymentMethod.id,
      type: 'card',
      card: {
        brand: card.brand,
        last4: card.last4,
        exp_month: card.expMonth,
        exp_year: card.expYear,
      },
    },
    customer: payment.customerId,
    failure: payment.failure === null ? null : toFailureResource(payment.failure),
    canceled_at: payment.cancellation?.canceledAt ?? null,
    cancellation_reason: payment.cancellation?.reason ?? null,
    refunds: payment.refunds.map((refund) => refund.id),
    created_at: payment.createdAt,
    metadata: payment.metadata,
  };
}

/** The payment a refund belongs to, as far as the refund shows it. */
export interface RefundedPayment {
  id: string;
  amount: { currency: string };
}

/** A refund of the payment as the API returns it: no acquirer reference or version. */
export function toRefundResource(payment: RefundedPayment, refund: Refund): RefundResource {
  return {
    id: refund.id,
    object: 'refund',
    payment: payment.id,
    amount: { value: refund.amount, currency: payment.amount.currency },
    status: refund.status,
    reason: refund.reason,
    failure:
      refund.failure === null
        ? null
        : { code: refund.failure.code, message: refund.failure.message },
    metadata: refund.metadata,
    created_at: refund.createdAt,
  };
}
