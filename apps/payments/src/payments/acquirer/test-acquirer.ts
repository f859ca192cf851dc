import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AuthorizationResult } from '../domain/payment.decider';
import type { Failure } from '../domain/payment.events';
import { Acquirer, type AuthorizationRequest } from './acquirer';

const declined = (declineCode: NonNullable<Failure['declineCode']>, message: string): Failure => ({
  code: 'card_declined',
  declineCode,
  message,
});

/**
 * DESIGN.md's test card table. Lost and stolen cards get the generic message on purpose: the
 * cardholder's bank, not the merchant's customer, is told why.
 */
export const TestCardOutcomes: Readonly<Record<string, Failure>> = {
  '4000000000000002': declined('generic_decline', 'Your card was declined.'),
  '4000000000009995': declined('insufficient_funds', 'Your card has insufficient funds.'),
  '4000000000009987': declined('lost_card', 'Your card was declined.'),
  '4000000000009979': declined('stolen_card', 'Your card was declined.'),
  '4000000000000069': { code: 'expired_card', message: 'Your card has expired.' },
  '4000000000000127': { code: 'incorrect_cvc', message: "Your card's security code is incorrect." },
  '4000000000000119': {
    code: 'processing_error',
    message: 'An error occurred while processing your card. Try again in a little bit.',
  },
};

/**
 * The built-in acquirer: deterministic, driven by the card number, so every outcome can be
 * produced on purpose. Every valid number not in the table is approved.
 */
@Injectable()
export class TestAcquirer extends Acquirer {
  authorize({ paymentId, card }: AuthorizationRequest): Promise<AuthorizationResult> {
    const failure = TestCardOutcomes[card.number];
    if (failure) return Promise.resolve({ approved: false, failure });
    // A stable reference per payment, as a real acquirer's would be for a retried request.
    const reference = `auth_test_${createHash('sha256').update(paymentId).digest('hex').slice(0, 24)}`;
    return Promise.resolve({ approved: true, reference });
  }
}
