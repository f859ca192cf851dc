import { Logger } from '@nestjs/common';
import {
  newId,
  ok,
  RequestTopics,
  type Payment as PaymentResource,
  type RequestMeta,
  type ServiceReply,
  type ServiceRequest,
} from '@finfusion/contracts';
import { eventMetadata } from '@finfusion/event-store';
import { Clock, HandlesRequest } from '@finfusion/runtime';
import { PaymentsConfig } from '../../config';
import { Acquirer } from '../acquirer/acquirer';
import { CustomerDirectory } from '../customer-directory/customer-directory';
import { isPayment } from '../domain/payment';
import { decide } from '../domain/payment.decider';
import { PaymentErrors } from '../payment.errors';
import { toPaymentResource } from '../payment.resource';
import { PaymentStore, type LoadedPayment } from '../payment.store';
import { recordAuthorization } from '../record-authorization';
import { CreateIdempotency, type CreateAttempt, type KeptPayment } from './create-idempotency';
import { CreatePaymentInput } from './create-payment.input';

/** Authorization outcomes that lost a race are decided again on the stream read anew, twice. */
const RECORD_RETRIES = 2;

/**
 * payments.create: read the request, create the payment (PaymentCreated, its row and its
 * idempotency key in one statement), ask the acquirer, record the outcome. 200 with a succeeded
 * payment (or, for manual capture, one that requires capture), 402 with a failed one. The card number and CVC exist only in this request's memory.
 */
@HandlesRequest(RequestTopics.payments.create)
export class CreatePaymentHandler {
  private readonly logger = new Logger(CreatePaymentHandler.name);

  constructor(
    private readonly input: CreatePaymentInput,
    private readonly payments: PaymentStore,
    private readonly idempotency: CreateIdempotency,
    private readonly customers: CustomerDirectory,
    private readonly acquirer: Acquirer,
    private readonly clock: Clock,
    private readonly config: PaymentsConfig,
  ) {}

  async handle({ meta, payload }: ServiceRequest<unknown>) {
    const read = this.input.read(payload, meta.merchantId);
    if (!read.ok) return read.reply;
    const attempt = read.value;

    // A retried key is found by the claim's unique key below, not by a read before every create.
    const { customerId } = attempt.request;
    const customer =
      customerId === null
        ? 'live'
        : await this.customers.standingOf(meta.merchantId, customerId, meta);
    if (customer !== 'live') {
      // A retry answers with what its key created, even if the customer went since.
      const kept = await this.idempotency.kept(meta, attempt);
      if (kept.kind !== 'none') return this.replay(kept, attempt, meta);
      return customer === 'absent'
        ? PaymentErrors.unknownCustomer()
        : PaymentErrors.customersUnavailable();
    }

    let created: LoadedPayment;
    try {
      created = await this.create(attempt, meta);
    } catch (error) {
      // A concurrent request with the same key committed first: answer as for a retry of it.
      const kept = await this.idempotency.keptAfterLostClaim(error, meta, attempt);
      return this.replay(kept, attempt, meta);
    }
    return this.complete(created, attempt, meta);
  }

  /**
   * PaymentCreated, its row and the key's claim: one statement, durable before the acquirer is
   * asked, so a crash in between leaves a pending payment that a retry or the recovery completes.
   */
  private async create({ request, fingerprint }: CreateAttempt, meta: RequestMeta) {
    const paymentId = newId('pay');
    const { card } = request;
    const created = await this.payments.handleCommand(
      paymentId,
      (state) =>
        decide(
          {
            type: 'CreatePayment',
            data: {
              paymentId,
              paymentMethodId: newId('pm'),
              merchantId: meta.merchantId,
              amount: request.amount,
              card: {
                brand: card.brand,
                last4: card.last4,
                expMonth: card.expMonth,
                expYear: card.expYear,
                fingerprint,
              },
              customerId: request.customerId,
              metadata: request.metadata,
              captureMethod: request.captureMethod,
              now: this.clock.now(),
            },
          },
          state,
        ),
      {
        from: this.payments.newStream,
        alongside: this.idempotency.claim(meta, paymentId),
        metadata: eventMetadata(meta),
        retries: 0,
      },
    );
    this.logger.log({ payment_id: paymentId }, 'payment created');
    return created;
  }

  /** The key already created a payment: the same request completes it, another is refused. */
  private replay(
    kept: Exclude<KeptPayment, { kind: 'none' }>,
    attempt: CreateAttempt,
    meta: RequestMeta,
  ): Promise<ServiceReply<PaymentResource>> | ServiceReply<PaymentResource> {
    if (kept.kind === 'different') return PaymentErrors.idempotencyKeyReused();
    this.logger.log(
      { payment_id: kept.paymentId, status: kept.payment.state.status },
      'create retried with the same idempotency key',
    );
    return this.complete(kept.payment, attempt, meta);
  }

  /** Authorizes a pending payment and records the outcome; answers with the payment. */
  private async complete(
    loaded: LoadedPayment,
    { request }: CreateAttempt,
    meta: RequestMeta,
  ): Promise<ServiceReply<PaymentResource>> {
    let current = loaded;
    if (isPayment(current.state) && current.state.status === 'pending') {
      const { id: paymentId, merchantId, amount } = current.state;
      const { number, cvc, expMonth, expYear } = request.card;
      const result = await this.acquirer.authorize({
        paymentId,
        merchantId,
        amount,
        card: { number, cvc, expMonth, expYear },
      });
      // Decided on the stream as this request left it; read again only if another writer moved it.
      current = await this.payments.handleCommand(
        paymentId,
        (state) =>
          decide(recordAuthorization(paymentId, result, this.clock.now(), this.config), state),
        { from: current, metadata: eventMetadata(meta), retries: RECORD_RETRIES },
      );
    }
    if (!isPayment(current.state)) throw new Error('a created payment has no state');
    const payment = toPaymentResource(current.state);
    this.logger.log({ payment_id: payment.id, status: payment.status }, 'payment completed');
    return payment.status === 'failed' ? PaymentErrors.paymentFailed(payment) : ok(payment);
  }
}
