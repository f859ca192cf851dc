import { isDeepStrictEqual } from 'node:util';
import { Logger } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  newId,
  ok,
  RequestTopics,
  type Payment as PaymentResource,
  type RequestMeta,
  type ServiceReply,
  type ServiceRequest,
} from '@finfusion/contracts';
import { ConcurrencyError } from '@finfusion/event-store';
import { MessageController } from '@finfusion/runtime';
import { Clock } from '../../clock';
import { Acquirer } from '../acquirer/acquirer';
import { CardFingerprints } from '../card-fingerprints';
import { CustomerDirectory } from '../customer-directory/customer-directory';
import { isPayment, type Payment } from '../domain/payment';
import { decide, type AuthorizationResult } from '../domain/payment.decider';
import { PaymentErrors } from '../payment.errors';
import { toPaymentResource } from '../payment.resource';
import { eventMetadata, NEW_STREAM, PaymentStore, type LoadedPayment } from '../payment.store';
import { parseCreatePayment, type CreatePaymentRequest } from './create-payment.request';
import { CardTransit } from './card-transit';
import { IdempotencyKeys } from './idempotency-keys';

/** Appends of an outcome that lost a race are re-read and retried this many times in all. */
const MAX_ATTEMPTS = 3;

/**
 * payments.create: validate, create the payment (PaymentCreated, its row and its idempotency key
 * in one transaction), ask the acquirer, record the outcome. 200 with a succeeded payment, 402
 * with a failed one. The card number and CVC exist only in this request's memory.
 */
@MessageController()
export class CreatePaymentHandler {
  private readonly logger = new Logger(CreatePaymentHandler.name);

  constructor(
    private readonly payments: PaymentStore,
    private readonly idempotencyKeys: IdempotencyKeys,
    private readonly customers: CustomerDirectory,
    private readonly acquirer: Acquirer,
    private readonly fingerprints: CardFingerprints,
    private readonly clock: Clock,
    private readonly cardTransit: CardTransit,
  ) {}

  @MessagePattern(RequestTopics.payments.create)
  async handle(
    @Payload() { meta, payload }: ServiceRequest<unknown>,
  ): Promise<ServiceReply<PaymentResource>> {
    const opened = this.cardTransit.open(payload, meta.merchantId);
    if (!opened.ok) return opened.reply;
    const parsed = parseCreatePayment(opened.value);
    if (!parsed.ok) return parsed.reply;
    const request = parsed.value;
    const fingerprint = this.fingerprints.of(request.card.number);
    const key = meta.idempotencyKey;

    // A retried key is found by the claim's unique key below, not by a read before every create.
    const customer =
      request.customerId === null
        ? 'live'
        : await this.customers.standingOf(meta.merchantId, request.customerId, meta);
    if (customer !== 'live' && request.customerId !== null) {
      // A retry answers with what its key created, even if the customer went since.
      const existing =
        key === undefined ? null : await this.idempotencyKeys.paymentFor(meta.merchantId, key);
      if (existing !== null) return this.retry(existing, request, fingerprint, meta);
      return customer === 'absent'
        ? PaymentErrors.unknownCustomer()
        : PaymentErrors.customersUnavailable();
    }

    const paymentId = newId('pay');
    const events = decide(
      {
        type: 'CreatePayment',
        data: {
          paymentId,
          paymentMethodId: newId('pm'),
          merchantId: meta.merchantId,
          amount: request.amount,
          card: {
            brand: request.card.brand,
            last4: request.card.last4,
            expMonth: request.card.expMonth,
            expYear: request.card.expYear,
            fingerprint,
          },
          customerId: request.customerId,
          metadata: request.metadata,
          now: this.clock.now(),
        },
      },
      NEW_STREAM.state,
    );
    let created: LoadedPayment;
    try {
      // PaymentCreated, its row and the key's claim: one statement, durable before the acquirer
      // is asked, so a crash in between leaves a pending payment that a retry completes.
      const { manager } = this.payments;
      const claim =
        key === undefined
          ? []
          : [this.idempotencyKeys.claimWrite(manager, meta.merchantId, key, paymentId)];
      created = await this.payments.append(
        manager,
        paymentId,
        NEW_STREAM,
        events,
        eventMetadata(meta),
        claim,
      );
    } catch (error) {
      // A concurrent request with the same key committed first: answer as for a retry of it.
      if (key === undefined || !IdempotencyKeys.isTaken(error)) throw error;
      const winner = await this.idempotencyKeys.paymentFor(meta.merchantId, key);
      if (winner === null) throw error;
      return this.retry(winner, request, fingerprint, meta);
    }
    this.logger.log({ payment_id: paymentId }, 'payment created');
    return this.complete(created, request, meta);
  }

  /**
   * The key already created a payment. Same parameters: answer with it, and if a crash left it
   * pending, finish its authorization now. Different parameters: refuse.
   */
  private async retry(
    paymentId: string,
    request: CreatePaymentRequest,
    fingerprint: string,
    meta: RequestMeta,
  ): Promise<ServiceReply<PaymentResource>> {
    const loaded = await this.payments.load(this.payments.manager, paymentId);
    if (!isPayment(loaded.state)) {
      throw new Error(`idempotency key refers to payment ${paymentId}, which has no events`);
    }
    if (!isSameRequest(loaded.state, request, fingerprint)) {
      return PaymentErrors.idempotencyKeyReused();
    }
    this.logger.log(
      { payment_id: paymentId, status: loaded.state.status },
      'create retried with the same idempotency key',
    );
    return this.complete(loaded, request, meta);
  }

  private async complete(
    loaded: LoadedPayment,
    request: CreatePaymentRequest,
    meta: RequestMeta,
  ): Promise<ServiceReply<PaymentResource>> {
    let current = loaded;
    if (isPayment(current.state) && current.state.status === 'pending') {
      const { id, merchantId, amount } = current.state;
      const { number, cvc, expMonth, expYear } = request.card;
      const result = await this.acquirer.authorize({
        paymentId: id,
        merchantId,
        amount,
        card: { number, cvc, expMonth, expYear },
      });
      current = await this.recordAuthorization(current, result, meta);
    }
    if (!isPayment(current.state)) throw new Error('a created payment has no state');
    const payment = toPaymentResource(current.state);
    this.logger.log({ payment_id: payment.id, status: payment.status }, 'payment completed');
    return payment.status === 'failed' ? PaymentErrors.paymentFailed(payment) : ok(payment);
  }

  /**
   * Decides on the stream as this request left it; only if another writer moved it on since is
   * it read again and the outcome decided anew.
   */
  private async recordAuthorization(
    from: LoadedPayment,
    result: AuthorizationResult,
    meta: RequestMeta,
  ): Promise<LoadedPayment> {
    if (!isPayment(from.state)) throw new Error('a created payment has no state');
    const paymentId = from.state.id;
    let loaded = from;
    for (let attempt = 1; ; attempt++) {
      try {
        const events = decide(
          { type: 'RecordAuthorization', data: { paymentId, result, now: this.clock.now() } },
          loaded.state,
        );
        const { manager } = this.payments;
        return await this.payments.append(manager, paymentId, loaded, events, eventMetadata(meta));
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw error;
        loaded = await this.payments.load(this.payments.manager, paymentId);
      }
    }
  }
}

/** The parameters a payment was created with, compared without the CVC (which is never kept). */
function isSameRequest(
  payment: Payment,
  request: CreatePaymentRequest,
  fingerprint: string,
): boolean {
  const { card } = payment.paymentMethod;
  return (
    isDeepStrictEqual(payment.amount, request.amount) &&
    card.fingerprint === fingerprint &&
    card.expMonth === request.card.expMonth &&
    card.expYear === request.card.expYear &&
    payment.customerId === request.customerId &&
    isDeepStrictEqual(payment.metadata, request.metadata)
  );
}
