import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AuthorizationResult, RefundResult } from '../domain/payment.decider';
import type { Failure, RefundFailure } from '../domain/payment.events';
import {
  Acquirer,
  AcquirerUnavailable,
  type AuthorizationEnd,
  type AuthorizationRequest,
  type RefundRequest,
} from './acquirer';
import { inMemoryLedgers, type TestAcquirerLedgers } from './test-acquirer.ledger';

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
 * Cards that are approved, but whose refunds fail: the money cannot go back to them (docs/api.md,
 * Test cards). Every other approved card is refunded.
 */
export const RefundFailingCards: Readonly<Record<string, RefundFailure>> = {
  '4000000000005126': {
    code: 'expired_or_canceled_card',
    message: 'The card is expired or canceled: the refund could not be returned to it.',
  },
  '4000000000005134': {
    code: 'lost_or_stolen_card',
    message: 'The card was reported lost or stolen: the refund could not be returned to it.',
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
 * keeps one answer per reference (the payment id, or the refund id) in its ledgers and repeats it.
 */
@Injectable()
export class TestAcquirer extends Acquirer {
  constructor(private readonly ledgers: TestAcquirerLedgers = inMemoryLedgers()) {
    super();
  }

  async authorize({ paymentId, card }: AuthorizationRequest): Promise<AuthorizationResult> {
    // Noted before the answer, so no approved payment of such a card is without it.
    const refundFailure = RefundFailingCards[card.number];
    if (refundFailure) await this.ledgers.refundFailures.record(paymentId, refundFailure);
    const { outcome, first } = await this.ledgers.authorizations.record(
      paymentId,
      outcomeFor(card.number, paymentId),
    );
    if (first && card.number === ANSWER_LOST_CARD) {
      throw new AcquirerUnavailable('the acquirer did not answer in time');
    }
    return outcome;
  }

  async settle(paymentId: string): Promise<AuthorizationResult> {
    const { outcome } = await this.ledgers.authorizations.record(paymentId, {
      approved: false,
      failure: NEVER_RECEIVED,
    });
    return outcome;
  }

  // The service captures and voids only what it holds as authorized, so the test acquirer does
  // not check the authorization again; what it keeps is that a capture and a void exclude each other.

  async capture(paymentId: string, amount: number): Promise<AuthorizationEnd> {
    return (await this.ledgers.authorizationEnds.record(paymentId, { kind: 'captured', amount }))
      .outcome;
  }

  async void(paymentId: string): Promise<AuthorizationEnd> {
    return (await this.ledgers.authorizationEnds.record(paymentId, { kind: 'voided' })).outcome;
  }

  async refund({ paymentId, refundId }: RefundRequest): Promise<RefundResult> {
    const failure = await this.ledgers.refundFailures.find(paymentId);
    const result: RefundResult = failure
      ? { succeeded: false, failure }
      : { succeeded: true, reference: referenceOf('refund', refundId) };
    return (await this.ledgers.refunds.record(refundId, result)).outcome;
  }
}

/** A stable reference per request, as a real acquirer's would be for a retried one. */
function referenceOf(kind: 'auth' | 'refund', id: string): string {
  return `${kind}_test_${createHash('sha256').update(id).digest('hex').slice(0, 24)}`;
}

function outcomeFor(number: string, paymentId: string): AuthorizationResult {
  const failure = TestCardOutcomes[number];
  if (failure) return { approved: false, failure };
  return { approved: true, reference: referenceOf('auth', paymentId) };
}
