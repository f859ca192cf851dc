import {
  hasCardExpired,
  type CaptureMethod,
  type Metadata,
  type PaymentStatus,
  type RefundReason,
  type RequestedCancellationReason,
} from '@finfusion/contracts';
import type { Failure, KeptCard, Money, PaymentEvent, RefundFailure } from './payment.events';
import { amountRefundable, isPayment, type Payment, type PaymentState } from './payment';

export interface CreatePayment {
  type: 'CreatePayment';
  data: {
    paymentId: string;
    paymentMethodId: string;
    merchantId: string;
    amount: Money;
    card: KeptCard;
    customerId: string | null;
    metadata: Metadata;
    /** Absent: automatic. */
    captureMethod?: CaptureMethod;
    now: Date;
  };
}

/** What the acquirer answered for the payment's card. */
export type AuthorizationResult =
  { approved: true; reference: string } | { approved: false; failure: Failure };

export interface RecordAuthorization {
  type: 'RecordAuthorization';
  data: {
    paymentId: string;
    result: AuthorizationResult;
    now: Date;
    /**
     * A manual payment's deadline for its capture, from the service's configured window; when
     * absent, DEFAULT_CAPTURE_WINDOW_MS after `now`. Ignored for automatic capture.
     */
    captureBefore?: Date;
  };
}

/** Captures an authorized manual payment: all of it, or `amountToCapture` (minor units). */
export interface CapturePayment {
  type: 'CapturePayment';
  data: { paymentId: string; amountToCapture?: number; now: Date };
}

/** Releases an authorized manual payment uncaptured, at the merchant's request. */
export interface CancelPayment {
  type: 'CancelPayment';
  data: { paymentId: string; reason?: RequestedCancellationReason; now: Date };
}

/** Cancels an authorization nobody captured in time; asked by the expiry process. */
export interface ExpireAuthorization {
  type: 'ExpireAuthorization';
  data: { paymentId: string; now: Date };
}

/** Refunds a captured payment: `amount` (minor units) defaults to all that remains. */
export interface CreateRefund {
  type: 'CreateRefund';
  data: {
    paymentId: string;
    refundId: string;
    amount?: number;
    reason?: RefundReason;
    metadata: Metadata;
    now: Date;
  };
}

/** What the acquirer answered for a refund. */
export type RefundResult =
  { succeeded: true; reference: string } | { succeeded: false; failure: RefundFailure };

export interface RecordRefundOutcome {
  type: 'RecordRefundOutcome';
  data: { paymentId: string; refundId: string; result: RefundResult; now: Date };
}

export type PaymentCommand =
  | CreatePayment
  | RecordAuthorization
  | CapturePayment
  | CancelPayment
  | ExpireAuthorization
  | CreateRefund
  | RecordRefundOutcome;

/** How long a manual payment's authorization waits for a capture unless the command says. */
export const DEFAULT_CAPTURE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Why the history refused, as stable codes:
 * - `payment_exists`, `payment_not_found`, `refund_exists`, `refund_not_found`;
 * - `payment_unexpected_state`: the payment's status does not allow it (the rejection carries
 *   the status);
 * - `amount_invalid`: not a whole positive number of minor units;
 * - `amount_too_large`: above what may be captured or refunded (the rejection carries the limit);
 * - `charge_already_refunded`: nothing is left to refund.
 */
export type RejectionReason =
  | 'payment_exists'
  | 'payment_not_found'
  | 'payment_unexpected_state'
  | 'amount_invalid'
  | 'amount_too_large'
  | 'charge_already_refunded'
  | 'refund_exists'
  | 'refund_not_found';

export interface RejectionDetails {
  /** The payment's status, with `payment_unexpected_state`. */
  status?: PaymentStatus;
  /** The most that could be captured or refunded, with `amount_too_large`. */
  limit?: number;
  refundId?: string;
}

/** The message a refusal carries, for logs: the reason, the payment and the details. */
const rejection = (reason: RejectionReason, paymentId: string, details: RejectionDetails) => {
  const extra = Object.entries(details).map(([key, value]) => `${key} ${String(value)}`);
  return `${reason}: ${paymentId}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`;
};

/** A command that the payment's history does not allow. */
export class PaymentCommandRejected extends Error {
  override readonly name = 'PaymentCommandRejected';
  constructor(
    readonly reason: RejectionReason,
    readonly paymentId: string,
    readonly details: RejectionDetails = {},
  ) {
    super(rejection(reason, paymentId, details));
  }
}

export const EXPIRED_CARD_FAILURE: Failure = {
  code: 'expired_card',
  message: 'Your card has expired.',
};

/**
 * Decides the events a command causes, from the stream's state. Pure: ids and time come in the
 * command, the acquirer's answer too.
 */
export function decide(command: PaymentCommand, state: PaymentState): PaymentEvent[] {
  switch (command.type) {
    case 'CreatePayment':
      return create(command, state);
    case 'RecordAuthorization':
      return recordAuthorization(command, state);
    case 'CapturePayment':
      return capture(command, state);
    case 'CancelPayment':
      return cancel(command, state);
    case 'ExpireAuthorization':
      return expire(command, state);
    case 'CreateRefund':
      return createRefund(command, state);
    case 'RecordRefundOutcome':
      return recordRefundOutcome(command, state);
    default: {
      const unhandled: never = command;
      throw new Error(`unknown payment command ${JSON.stringify(unhandled)}`);
    }
  }
}

function create({ data }: CreatePayment, state: PaymentState): PaymentEvent[] {
  if (isPayment(state)) throw new PaymentCommandRejected('payment_exists', data.paymentId);
  const at = data.now.toISOString();
  const created: PaymentEvent = {
    type: 'PaymentCreated',
    data: {
      paymentId: data.paymentId,
      merchantId: data.merchantId,
      amount: data.amount,
      paymentMethod: { id: data.paymentMethodId, card: data.card },
      customerId: data.customerId,
      metadata: data.metadata,
      createdAt: at,
      // Automatic is written as absence, so its events are the same as before manual capture.
      ...(data.captureMethod === 'manual' && { captureMethod: 'manual' as const }),
    },
  };
  // An expired card is refused here, before any acquirer sees it: created and failed at once.
  if (hasCardExpired(data.card.expMonth, data.card.expYear, data.now)) {
    return [
      created,
      {
        type: 'PaymentFailed',
        data: { paymentId: data.paymentId, failure: EXPIRED_CARD_FAILURE, failedAt: at },
      },
    ];
  }
  return [created];
}

/** The payment the command is about, or a refusal: the stream holds no such payment. */
function existing(state: PaymentState, paymentId: string): Payment {
  if (!isPayment(state) || state.id !== paymentId) {
    throw new PaymentCommandRejected('payment_not_found', paymentId);
  }
  return state;
}

/** Refuses a command that the payment's status does not allow. */
function expectStatus(payment: Payment, ...allowed: PaymentStatus[]): void {
  if (!allowed.includes(payment.status)) {
    throw new PaymentCommandRejected('payment_unexpected_state', payment.id, {
      status: payment.status,
    });
  }
}

/** Refuses an amount that is not a whole positive number of minor units. */
function expectAmount(payment: Payment, amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 1) {
    throw new PaymentCommandRejected('amount_invalid', payment.id);
  }
}

function recordAuthorization({ data }: RecordAuthorization, state: PaymentState): PaymentEvent[] {
  const payment = existing(state, data.paymentId);
  // An outcome is final: a second answer (a retry that raced the first) changes nothing.
  if (payment.status !== 'pending') return [];
  const at = data.now.toISOString();
  const { result } = data;
  if (!result.approved) {
    return [
      {
        type: 'PaymentFailed',
        data: { paymentId: data.paymentId, failure: result.failure, failedAt: at },
      },
    ];
  }
  if (payment.captureMethod === 'manual') {
    const captureBefore =
      data.captureBefore ?? new Date(data.now.getTime() + DEFAULT_CAPTURE_WINDOW_MS);
    return [
      {
        type: 'PaymentAuthorized',
        data: {
          paymentId: data.paymentId,
          authorizationReference: result.reference,
          authorizedAt: at,
          captureBefore: captureBefore.toISOString(),
        },
      },
    ];
  }
  return [
    {
      type: 'PaymentSucceeded',
      data: {
        paymentId: data.paymentId,
        authorizationReference: result.reference,
        succeededAt: at,
      },
    },
  ];
}

function capture({ data }: CapturePayment, state: PaymentState): PaymentEvent[] {
  const payment = existing(state, data.paymentId);
  expectStatus(payment, 'requires_capture');
  const amount = data.amountToCapture ?? payment.amount.value;
  expectAmount(payment, amount);
  if (amount > payment.amount.value) {
    throw new PaymentCommandRejected('amount_too_large', payment.id, {
      limit: payment.amount.value,
    });
  }
  return [
    {
      type: 'PaymentCaptured',
      data: { paymentId: payment.id, amount, capturedAt: data.now.toISOString() },
    },
  ];
}

function cancel({ data }: CancelPayment, state: PaymentState): PaymentEvent[] {
  const payment = existing(state, data.paymentId);
  expectStatus(payment, 'requires_capture');
  return [
    {
      type: 'PaymentCanceled',
      data: {
        paymentId: payment.id,
        reason: data.reason ?? null,
        canceledAt: data.now.toISOString(),
      },
    },
  ];
}

function expire({ data }: ExpireAuthorization, state: PaymentState): PaymentEvent[] {
  const payment = existing(state, data.paymentId);
  // Captured, canceled or not yet due: nothing to do, so a late or repeated run is harmless.
  if (payment.status !== 'requires_capture' || payment.captureBefore === null) return [];
  if (data.now.getTime() < Date.parse(payment.captureBefore)) return [];
  return [
    {
      type: 'PaymentCanceled',
      data: { paymentId: payment.id, reason: 'automatic', canceledAt: data.now.toISOString() },
    },
  ];
}

function createRefund({ data }: CreateRefund, state: PaymentState): PaymentEvent[] {
  const payment = existing(state, data.paymentId);
  expectStatus(payment, 'succeeded');
  if (payment.refunds.some((r) => r.id === data.refundId)) {
    throw new PaymentCommandRejected('refund_exists', payment.id, { refundId: data.refundId });
  }
  const refundable = amountRefundable(payment);
  if (refundable <= 0) throw new PaymentCommandRejected('charge_already_refunded', payment.id);
  const amount = data.amount ?? refundable;
  expectAmount(payment, amount);
  if (amount > refundable) {
    throw new PaymentCommandRejected('amount_too_large', payment.id, { limit: refundable });
  }
  return [
    {
      type: 'RefundCreated',
      data: {
        paymentId: payment.id,
        refundId: data.refundId,
        amount,
        reason: data.reason ?? null,
        metadata: data.metadata,
        createdAt: data.now.toISOString(),
      },
    },
  ];
}

function recordRefundOutcome({ data }: RecordRefundOutcome, state: PaymentState): PaymentEvent[] {
  const payment = existing(state, data.paymentId);
  const refund = payment.refunds.find((r) => r.id === data.refundId);
  if (!refund) {
    throw new PaymentCommandRejected('refund_not_found', payment.id, { refundId: data.refundId });
  }
  // As with authorizations, the first outcome is final.
  if (refund.status !== 'pending') return [];
  const at = data.now.toISOString();
  const { result } = data;
  const ids = { paymentId: payment.id, refundId: refund.id };
  return result.succeeded
    ? [{ type: 'RefundSucceeded', data: { ...ids, reference: result.reference, succeededAt: at } }]
    : [{ type: 'RefundFailed', data: { ...ids, failure: result.failure, failedAt: at } }];
}
