import { randomInt } from 'node:crypto';
import type { Payment } from '@finfusion/contracts';
import type { ApiResponse } from '@finfusion/testing';

/** Three years ahead: examples and tests never use an expiry that has passed. */
export const FUTURE_YEAR = new Date().getUTCFullYear() + 3;

export interface CardInput {
  number?: unknown;
  exp_month?: unknown;
  exp_year?: unknown;
  cvc?: unknown;
}

/** A create body like the API reference's, with a future expiry; parts can be replaced. */
export function paymentBody(
  card: CardInput = {},
  rest: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    amount: { value: 1000, currency: 'USD' },
    payment_method: {
      type: 'card',
      card: {
        number: '4242424242424242',
        exp_month: 12,
        exp_year: FUTURE_YEAR,
        cvc: '123',
        ...card,
      },
    },
    metadata: { order_id: 'order_123' },
    ...rest,
  };
}

/** A CVC of the given length that no other test uses by design (random digits). */
export const randomCvc = (length = 3): string =>
  Array.from({ length }, () => randomInt(10)).join('');

/** The payment of a 200, or the failed payment a 402 carries. */
export function paymentOf(response: ApiResponse): Payment {
  if (response.status === 200) return response.body as Payment;
  if (response.status === 402) {
    return (response.body as { error: { payment: Payment } }).error.payment;
  }
  throw new Error(`expected a payment, got ${response.status}: ${response.text}`);
}
