import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AuthorizationResult } from '../domain/payment.decider';
import type { Failure } from '../domain/payment.events';
import { Acquirer, AcquirerUnavailable, type AuthorizationRequest } from './acquirer';
import { InMemoryAuthorizationLedger, type AuthorizationLedger } from './authorization-ledger';

const declined = (declineCode: NonNullable<Failure['declineCode']>, message: string): Failure => ({
  code: 'card_declined',
  declineCode,
  message,
});

/**
 * The test card table of docs/api.md (Test cards). Lost and stolen cards get the generic message
 * on purpose: the cardholder's bank, not the merchant's customer, is told why.
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
 * Approved, but the acquirer's first answer is lost on the way back (the call times out and the
 * payment stays pending). Asked again with the same reference, by a retry or by the recovery of
 * pending payments, the acquirer gives the approval it recorded: one charge.
 */
export const ANSWER_LOST_CARD = '4000000000000309';

/** What `settle` records for a reference the acquirer never received. */
export const NEVER_RECEIVED: Failure = {
  code: 'processing_error',
  message: 'The payment could not be completed. Try again with a new payment.',
};

/**
 * The built-in acquirer: deterministic, driven by the card number, so every outcome can be
 * produced on purpose. Every valid number not in the table is approved. Like a real acquirer it
 * keeps one answer per reference (the payment id) in its ledger and repeats it.
 */
@Injectable()
export class TestAcquirer extends Acquirer {
  constructor(private readonly ledger: AuthorizationLedger = new InMemoryAuthorizationLedger()) {
    super();
  }

  async authorize({ paymentId, card }: AuthorizationRequest): Promise<AuthorizationResult> {
    const { outcome, first } = await this.ledger.record(
      paymentId,
      outcomeFor(card.number, paymentId),
    );
    if (first && card.number === ANSWER_LOST_CARD) {
      throw new AcquirerUnavailable('the acquirer did not answer in time');
    }
    return outcome;
  }

  async settle(paymentId: string): Promise<AuthorizationResult> {
    const { outcome } = await this.ledger.record(paymentId, {
      approved: false,
      failure: NEVER_RECEIVED,
    });
    return outcome;
  }
}

function outcomeFor(number: string, paymentId: string): AuthorizationResult {
  const failure = TestCardOutcomes[number];
  if (failure) return { approved: false, failure };
  // A stable reference per payment, as a real acquirer's would be for a retried request.
  const reference = `auth_test_${createHash('sha256').update(paymentId).digest('hex').slice(0, 24)}`;
  return { approved: true, reference };
}
