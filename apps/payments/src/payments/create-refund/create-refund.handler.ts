import { isDeepStrictEqual } from 'node:util';
import { Logger } from '@nestjs/common';
import {
  ok,
  RequestTopics,
  type RequestMeta,
  type ServiceReply,
  type ServiceRequest,
  type Refund as RefundResource,
} from '@finfusion/contracts';
import { eventMetadata } from '@finfusion/event-store';
import { Clock, HandlesRequest } from '@finfusion/runtime';
import { IdempotencyKeys } from '../create-payment/idempotency-keys';
import { isPayment, type Payment, type Refund } from '../domain/payment';
import { decide, PaymentCommandRejected } from '../domain/payment.decider';
import { PaymentActions, PaymentErrors } from '../payment.errors';
import { toPaymentResource, toRefundResource } from '../payment.resource';
import { PaymentStore, type LoadedExistingPayment } from '../payment.store';
import { parseCreateRefund, type CreateRefundRequest } from './create-refund.request';
import { RefundIds } from './refund-ids';
import { RefundOutcomes } from './refund-outcomes';

/**
 * refunds.create: append RefundCreated to the payment's stream first, at the version it was
 * decided on. That expected version is what keeps the refunds within the captured amount: when
 * many refunds of one payment arrive at once, each one that lost the race is decided again on
 * the stream as the winner left it. Then the acquirer is asked, and its answer recorded. 200 with
 * the refund: `succeeded`, `failed`, or `pending` when the acquirer gave no answer.
 *
 * Under an Idempotency-Key the refund's id comes from the key, and the key is claimed by the
 * statement that appends RefundCreated: a retry that reaches the service again answers with the
 * refund the key created (completing it if it was left pending), whatever raced it.
 */
@HandlesRequest(RequestTopics.payments.createRefund)
export class CreateRefundHandler {
  private readonly logger = new Logger(CreateRefundHandler.name);

  constructor(
    private readonly payments: PaymentStore,
    private readonly keys: IdempotencyKeys,
    private readonly refundIds: RefundIds,
    private readonly outcomes: RefundOutcomes,
    private readonly clock: Clock,
  ) {}

  async handle({ meta, payload }: ServiceRequest<unknown>): Promise<ServiceReply<RefundResource>> {
    const read = parseCreateRefund(payload);
    if (!read.ok) return read.reply;
    const request = read.value;
    const refundId = this.refundIds.for(meta);
    const key = meta.idempotencyKey;
    // A retried key is found without a read first: its refund id is already on the stream
    // (`refund_exists`), or, for another payment, its claim fails on the key's unique row.
    const loaded = await this.payments.loadOwned(meta.merchantId, request.paymentId);
    if (loaded === null) return PaymentErrors.noSuchPayment(PaymentActions.refund);
    let created: LoadedExistingPayment;
    try {
      created = await this.create(loaded, refundId, request, meta);
    } catch (error) {
      if (error instanceof PaymentCommandRejected && error.reason === 'refund_exists') {
        return this.retried(request.paymentId, refundId, request, meta);
      }
      if (key !== undefined && IdempotencyKeys.isTaken(error)) {
        // A request with the same key, for this payment or another, committed first.
        const claimedBy = await this.keys.paymentFor(meta.merchantId, key);
        if (claimedBy !== null) return this.retried(claimedBy, refundId, request, meta);
      }
      if (error instanceof PaymentCommandRejected) return this.refused(error, request, meta);
      throw error;
    }
    this.logger.log({ payment_id: request.paymentId, refund_id: refundId }, 'refund created');
    return this.answer(
      await this.outcomes.complete(created, refundId, eventMetadata(meta)),
      refundId,
    );
  }

  private async create(
    loaded: LoadedExistingPayment,
    refundId: string,
    request: CreateRefundRequest,
    meta: RequestMeta,
  ): Promise<LoadedExistingPayment> {
    const { paymentId, amount, reason, metadata } = request;
    const key = meta.idempotencyKey;
    const created = await this.payments.handleContended(
      paymentId,
      (state) =>
        decide(
          {
            type: 'CreateRefund',
            data: {
              paymentId,
              refundId,
              ...(amount !== undefined && { amount }),
              ...(reason !== undefined && { reason }),
              metadata,
              now: this.clock.now(),
            },
          },
          state,
        ),
      {
        from: loaded,
        metadata: eventMetadata(meta),
        alongside:
          key === undefined
            ? []
            : [this.keys.claimWrite(this.payments.manager, meta.merchantId, key, paymentId)],
      },
    );
    if (!isPayment(created.state)) throw new Error('a refunded payment has no state');
    return { state: created.state, version: created.version };
  }

  /** The key already created a refund: the same request answers with it, another is refused. */
  private async retried(
    paymentId: string,
    refundId: string,
    request: CreateRefundRequest,
    meta: RequestMeta,
  ): Promise<ServiceReply<RefundResource>> {
    const kept = await this.payments.loadOwned(meta.merchantId, paymentId);
    const refund = kept?.state.refunds.find((r) => r.id === refundId);
    if (!kept || !refund || !isSameRequest(kept.state, refund, request)) {
      return PaymentErrors.idempotencyKeyReused('refund');
    }
    this.logger.log(
      { payment_id: paymentId, refund_id: refundId, status: refund.status },
      'refund retried with the same idempotency key',
    );
    return this.answer(await this.outcomes.complete(kept, refundId, eventMetadata(meta)), refundId);
  }

  private async refused(
    rejection: PaymentCommandRejected,
    { paymentId }: CreateRefundRequest,
    meta: RequestMeta,
  ): Promise<ServiceReply<RefundResource>> {
    this.logger.log({ payment_id: paymentId, reason: rejection.reason }, 'refund refused');
    const now = await this.payments.loadOwned(meta.merchantId, paymentId);
    return PaymentErrors.commandRejected(
      rejection,
      PaymentActions.refund,
      now && toPaymentResource(now.state),
    );
  }

  private answer({ state }: LoadedExistingPayment, refundId: string): ServiceReply<RefundResource> {
    const refund = state.refunds.find((r) => r.id === refundId);
    if (!refund) throw new Error(`payment ${state.id} has no refund ${refundId}`);
    return ok(toRefundResource(state, refund));
  }
}

/**
 * A retry is the same request when it names the same payment and asks for what the refund is.
 * An amount left out took all that was left, so it matches any amount.
 */
function isSameRequest(payment: Payment, refund: Refund, request: CreateRefundRequest): boolean {
  return (
    payment.id === request.paymentId &&
    (request.amount ?? refund.amount) === refund.amount &&
    (request.reason ?? null) === refund.reason &&
    isDeepStrictEqual(refund.metadata, request.metadata)
  );
}
