import { hasCardExpired, type Metadata } from '@finfusion/contracts';
import type { Failure, KeptCard, Money, PaymentEvent } from './payment.events';
import { isPayment, type PaymentState } from './payment';

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
    now: Date;
  };
}

/** What the acquirer answered for the payment's card. */
export type AuthorizationResult =
  { approved: true; reference: string } | { approved: false; failure: Failure };

export interface RecordAuthorization {
  type: 'RecordAuthorization';
  data: { paymentId: string; result: AuthorizationResult; now: Date };
}

export type PaymentCommand = CreatePayment | RecordAuthorization;

/** Why the history refused: creating what exists, or recording on what does not. */
export type RejectionReason = 'payment_exists' | 'payment_not_found';

/** The message a refusal carries, for logs: the reason and the payment. */
const rejection = (reason: RejectionReason, paymentId: string) => `${reason}: ${paymentId}`;

/** A command that the payment's history does not allow. */
export class PaymentCommandRejected extends Error {
  override readonly name = 'PaymentCommandRejected';
  constructor(
    readonly reason: RejectionReason,
    readonly paymentId: string,
  ) {
    super(rejection(reason, paymentId));
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

function recordAuthorization({ data }: RecordAuthorization, state: PaymentState): PaymentEvent[] {
  if (!isPayment(state) || state.id !== data.paymentId) {
    throw new PaymentCommandRejected('payment_not_found', data.paymentId);
  }
  // An outcome is final: a second answer (a retry that raced the first) changes nothing.
  if (state.status !== 'pending') return [];
  const at = data.now.toISOString();
  const { result } = data;
  return result.approved
    ? [
        {
          type: 'PaymentSucceeded',
          data: {
            paymentId: data.paymentId,
            authorizationReference: result.reference,
            succeededAt: at,
          },
        },
      ]
    : [
        {
          type: 'PaymentFailed',
          data: { paymentId: data.paymentId, failure: result.failure, failedAt: at },
        },
      ];
}
