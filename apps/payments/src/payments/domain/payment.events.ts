import {
  isOneOf,
  type CardBrand,
  type DeclineCode,
  type Metadata,
  type PaymentFailureCode,
} from '@finfusion/contracts';

// The stored events of a payment's stream. Their data is internal (camelCase, versioned by the
// log's schema_version); the public shape is derived from the folded state, never stored here.
// No event carries a card number or CVC: only what may be kept.

export interface Money {
  /** Minor units of `currency`. */
  value: number;
  currency: string;
}

export interface KeptCard {
  brand: CardBrand;
  last4: string;
  expMonth: number;
  expYear: number;
  /** HMAC-SHA256 of the number under CARD_FINGERPRINT_KEY: recognises a card, reveals nothing. */
  fingerprint: string;
}

export interface Failure {
  code: PaymentFailureCode;
  declineCode?: DeclineCode;
  message: string;
}

export interface PaymentCreated {
  type: 'PaymentCreated';
  data: {
    paymentId: string;
    merchantId: string;
    amount: Money;
    paymentMethod: { id: string; card: KeptCard };
    customerId: string | null;
    metadata: Metadata;
    createdAt: string;
  };
}

export interface PaymentSucceeded {
  type: 'PaymentSucceeded';
  data: {
    paymentId: string;
    /** The acquirer's id for the authorization, for reconciliation. */
    authorizationReference: string;
    succeededAt: string;
  };
}

export interface PaymentFailed {
  type: 'PaymentFailed';
  data: {
    paymentId: string;
    failure: Failure;
    failedAt: string;
  };
}

export type PaymentEvent = PaymentCreated | PaymentSucceeded | PaymentFailed;

export type PaymentEventType = PaymentEvent['type'];

export const PaymentEventTypes: readonly PaymentEventType[] = [
  'PaymentCreated',
  'PaymentSucceeded',
  'PaymentFailed',
];

/** Version of the data shapes above; a breaking change gets a new version and an upcaster. */
export const PAYMENT_EVENT_SCHEMA_VERSION = 1;

export const isPaymentEventType = isOneOf(PaymentEventTypes);

/** When the fact happened, as the decider recorded it. */
export function occurredAt(event: PaymentEvent): string {
  switch (event.type) {
    case 'PaymentCreated':
      return event.data.createdAt;
    case 'PaymentSucceeded':
      return event.data.succeededAt;
    case 'PaymentFailed':
      return event.data.failedAt;
    default: {
      const unhandled: never = event;
      throw new Error(`unknown payment event ${JSON.stringify(unhandled)}`);
    }
  }
}

/** Rebuilds a typed event from the log's type and data. An unknown type stops the reader. */
export function toPaymentEvent(type: string, schemaVersion: number, data: unknown): PaymentEvent {
  if (!isPaymentEventType(type) || schemaVersion !== PAYMENT_EVENT_SCHEMA_VERSION) {
    throw new Error(`no reader for payment event ${type} v${schemaVersion}`);
  }
  return { type, data } as PaymentEvent;
}
