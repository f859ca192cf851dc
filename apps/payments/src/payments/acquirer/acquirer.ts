import type { AuthorizationResult } from '../domain/payment.decider';
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

/**
 * The port to whoever authorizes card payments. An abstract class rather than an interface so
 * that Nest can inject it by type; a thrown error means "no answer", and the payment stays pending.
 */
export abstract class Acquirer {
  abstract authorize(request: AuthorizationRequest): Promise<AuthorizationResult>;
}
