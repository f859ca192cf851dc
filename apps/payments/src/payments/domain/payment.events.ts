import {
  isOneOf,
  type CancellationReason,
  type CardBrand,
  type DeclineCode,
  type Metadata,
  type PaymentFailureCode,
  type RefundFailureCode,
  type RefundReason,
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
    /**
     * Only `manual` is written; absent means automatic. So every PaymentCreated stored before
     * manual capture existed still reads as what it was, and the stored shape only gained an
     * optional field: PAYMENT_EVENT_SCHEMA_VERSION stays, no upcaster needed.
     */
    captureMethod?: 'manual';
  };
}

/** An automatic-capture payment was authorized, and so captured in full. */
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

/** A manual-capture payment was authorized: it waits for a capture until `captureBefore`. */
export interface PaymentAuthorized {
  type: 'PaymentAuthorized';
  data: {
    paymentId: string;
    authorizationReference: string;
    authorizedAt: string;
    captureBefore: string;
  };
}

/** An authorized payment was captured, wholly or in part: `amount` in minor units. */
export interface PaymentCaptured {
  type: 'PaymentCaptured';
  data: {
    paymentId: string;
    amount: number;
    capturedAt: string;
  };
}

/** An authorized payment was released uncaptured; `automatic` when its authorization expired. */
export interface PaymentCanceled {
  type: 'PaymentCanceled';
  data: {
    paymentId: string;
    reason: CancellationReason | null;
    canceledAt: string;
  };
}

// Refunds live on their payment's stream: each is decided against the stream's version, so the
// expected-version append is what keeps the refunds within the captured amount, even when many
// are asked for at once.

export interface RefundCreated {
  type: 'RefundCreated';
  data: {
    paymentId: string;
    refundId: string;
    /** Minor units of the payment's currency. */
    amount: number;
    reason: RefundReason | null;
    metadata: Metadata;
    createdAt: string;
  };
}

export interface RefundSucceeded {
  type: 'RefundSucceeded';
  data: {
    paymentId: string;
    refundId: string;
    /** The acquirer's id for the refund, for reconciliation. */
    reference: string;
    succeededAt: string;
  };
}

export interface RefundFailure {
  code: RefundFailureCode;
  message: string;
}

export interface RefundFailed {
  type: 'RefundFailed';
  data: {
    paymentId: string;
    refundId: string;
    failure: RefundFailure;
    failedAt: string;
  };
}

export type PaymentEvent =
  | PaymentCreated
  | PaymentSucceeded
  | PaymentFailed
  | PaymentAuthorized
  | PaymentCaptured
  | PaymentCanceled
  | RefundCreated
  | RefundSucceeded
  | RefundFailed;

export type PaymentEventType = PaymentEvent['type'];

export const PaymentEventTypes: readonly PaymentEventType[] = [
  'PaymentCreated',
  'PaymentSucceeded',
  'PaymentFailed',
  'PaymentAuthorized',
  'PaymentCaptured',
  'PaymentCanceled',
  'RefundCreated',
  'RefundSucceeded',
  'RefundFailed',
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
    case 'PaymentAuthorized':
      return event.data.authorizedAt;
    case 'PaymentCaptured':
      return event.data.capturedAt;
    case 'PaymentCanceled':
      return event.data.canceledAt;
    case 'RefundCreated':
      return event.data.createdAt;
    case 'RefundSucceeded':
      return event.data.succeededAt;
    case 'RefundFailed':
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
