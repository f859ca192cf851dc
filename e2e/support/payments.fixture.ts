import { randomInt } from 'node:crypto';
import { passesLuhn, type Payment } from '@finfusion/contracts';
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

/**
 * A valid number nobody else uses: the brand's prefix, random digits and the Luhn check digit.
 * Numbers outside the test card table (docs/api.md, Test cards) succeed.
 */
export function uniqueCardNumber(prefix = '4', length = 16): string {
  const middle = Array.from({ length: length - prefix.length - 1 }, () => randomInt(10)).join('');
  for (let check = 0; check < 10; check++) {
    const number = `${prefix}${middle}${check}`;
    if (passesLuhn(number)) return number;
  }
  throw new Error('unreachable: one check digit always fits');
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

/** The documented test cards and what each one does. */
export const TEST_CARD_FAILURES: readonly [string, string, string | undefined, string][] = [
  ['4000000000000002', 'card_declined', 'generic_decline', 'Your card was declined.'],
  ['4000000000009995', 'card_declined', 'insufficient_funds', 'Your card has insufficient funds.'],
  ['4000000000009987', 'card_declined', 'lost_card', 'Your card was declined.'],
  ['4000000000009979', 'card_declined', 'stolen_card', 'Your card was declined.'],
  ['4000000000000069', 'expired_card', undefined, 'Your card has expired.'],
  ['4000000000000127', 'incorrect_cvc', undefined, "Your card's security code is incorrect."],
  [
    '4000000000000119',
    'processing_error',
    undefined,
    'An error occurred while processing your card. Try again in a little bit.',
  ],
];
