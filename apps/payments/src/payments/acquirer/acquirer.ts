import type { AuthorizationResult, RefundResult } from '../domain/payment.decider';
import type { Money } from '../domain/payment.events';

/** The card as the acquirer needs it. Held in memory for the call only, never kept or logged. */
export interface CardForAuthorization {
  number: string;
  cvc: string;
  expMonth: number;
  expYear: number;
}

export interface AuthorizationRequest {
  /** Doubles as the acquirer's idempotency reference: a resumed authorization is not a second charge. */
  paymentId: string;
  merchantId: string;
  amount: Money;
  card: CardForAuthorization;
}

export interface RefundRequest {
  paymentId: string;
  /** Doubles as the acquirer's idempotency reference: a refund asked again is not paid twice. */
  refundId: string;
  amount: Money;
}

/**
 * What became of an authorization: captured (`amount` in minor units) or voided (released
 * uncaptured). The two are exclusive and final: the first one the acquirer records is the answer
 * to every later capture or void of the same authorization.
 */
export type AuthorizationEnd = { kind: 'captured'; amount: number } | { kind: 'voided' };

/** The acquirer gave no answer (a timeout, a lost connection): the outcome is not known. */
export class AcquirerUnavailable extends Error {
  override readonly name = 'AcquirerUnavailable';
}

/**
 * The port to whoever authorizes card payments. An abstract class rather than an interface so
 * that Nest can inject it by type; a thrown error means "no answer", and the payment stays pending.
 * The payment id is the idempotency reference of an authorization, its capture and its void, the
 * refund id that of a refund: the acquirer answers one reference once, and repeats that answer to
 * every later call.
 */
export abstract class Acquirer {
  abstract authorize(request: AuthorizationRequest): Promise<AuthorizationResult>;

  /**
   * The outcome of the authorization with this reference, for a payment whose answer never
   * arrived. One the acquirer never received is closed as failed, so that a late `authorize` with
   * the same reference gets that failure too, and never charges the card.
   */
  abstract settle(paymentId: string): Promise<AuthorizationResult>;

  /**
   * Captures `amount` (minor units, at most the authorized amount) of an approved authorization.
   * Answers `voided` when a void of it came first: then nothing was captured.
   */
  abstract capture(paymentId: string, amount: number): Promise<AuthorizationEnd>;

  /**
   * Releases an approved authorization uncaptured. Answers `captured` when a capture of it came
   * first: then the authorization stays captured.
   */
  abstract void(paymentId: string): Promise<AuthorizationEnd>;

  /** Gives back part or all of a captured payment to its card. */
  abstract refund(request: RefundRequest): Promise<RefundResult>;
}
