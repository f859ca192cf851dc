import { randomInt } from 'node:crypto';
import { passesLuhn } from '@finfusion/contracts';

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

/**
 * The documented test cards that fail, and how: number, error code, decline code (for declines
 * only) and the message the API answers with.
 */
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

/**
 * The documented test cards that are approved but whose refunds all fail: number, the refund's
 * failure code and message.
 */
export const TEST_REFUND_FAILURES: readonly [string, string, string][] = [
  [
    '4000000000005126',
    'expired_or_canceled_card',
    'The card is expired or canceled: the refund could not be returned to it.',
  ],
  [
    '4000000000005134',
    'lost_or_stolen_card',
    'The card was reported lost or stolen: the refund could not be returned to it.',
  ],
];
