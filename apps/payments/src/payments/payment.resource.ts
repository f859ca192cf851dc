import type { Payment as PaymentResource, PaymentFailure } from '@finfusion/contracts';
import type { Failure } from './domain/payment.events';
import type { Payment } from './domain/payment';

const toFailureResource = (failure: Failure): PaymentFailure => ({
  code: failure.code,
  ...(failure.declineCode !== undefined && { decline_code: failure.declineCode }),
  message: failure.message,
});

/** The payment as the API returns it: no merchant, fingerprint or version. */
export function toPaymentResource(payment: Payment): PaymentResource {
  const { card } = payment.paymentMethod;
  return {
    id: payment.id,
    object: 'payment',
    status: payment.status,
    amount: { value: payment.amount.value, currency: payment.amount.currency },
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
    created_at: payment.createdAt,
    metadata: payment.metadata,
  };
}
