import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import type { RequestMeta } from '@finfusion/contracts';
import type { RowWrite } from '@finfusion/event-store';
import { isPayment, type Payment } from '../domain/payment';
import { PaymentStore, type LoadedPayment } from '../payment.store';
import type { CreatePaymentRequest } from './create-payment.request';
import { IdempotencyKeys } from './idempotency-keys';

/**
 * What an Idempotency-Key already holds: nothing yet, the payment it created (the retry answers
 * with it, finishing it if a crash left it pending), or a payment created with other parameters.
 */
export type KeptPayment =
  | { kind: 'none' }
  | { kind: 'same'; paymentId: string; payment: LoadedPayment }
  | { kind: 'different' };

/** The request as compared with the payment its key created: the card is known by fingerprint. */
export interface CreateAttempt {
  request: CreatePaymentRequest;
  fingerprint: string;
}

/**
 * payments.create's Idempotency-Key: the claim that reserves the key for a new payment (written
 * by the statement that appends PaymentCreated, so the unique constraint, not a prior read, stops
 * a second payment) and the payment a key already holds.
 */
@Injectable()
export class CreateIdempotency {
  constructor(
    private readonly keys: IdempotencyKeys,
    private readonly payments: PaymentStore,
  ) {}

  /** The rows that reserve the request's key for `paymentId`; none without a key. */
  claim(meta: RequestMeta, paymentId: string): RowWrite[] {
    const key = meta.idempotencyKey;
    if (key === undefined) return [];
    return [this.keys.claimWrite(this.payments.manager, meta.merchantId, key, paymentId)];
  }

  /** The payment the request's key already created, compared with this attempt. */
  async kept(meta: RequestMeta, attempt: CreateAttempt): Promise<KeptPayment> {
    const key = meta.idempotencyKey;
    const paymentId = key === undefined ? null : await this.keys.paymentFor(meta.merchantId, key);
    if (paymentId === null) return { kind: 'none' };
    const payment = await this.payments.load(this.payments.manager, paymentId);
    if (!isPayment(payment.state)) {
      throw new Error(`idempotency key refers to payment ${paymentId}, which has no events`);
    }
    return isSameRequest(payment.state, attempt)
      ? { kind: 'same', paymentId, payment }
      : { kind: 'different' };
  }

  /**
   * After a create's append failed: when a concurrent request with the same key committed first,
   * the payment it created; any other failure is rethrown.
   */
  async keptAfterLostClaim(
    error: unknown,
    meta: RequestMeta,
    attempt: CreateAttempt,
  ): Promise<Exclude<KeptPayment, { kind: 'none' }>> {
    if (meta.idempotencyKey === undefined || !IdempotencyKeys.isTaken(error)) throw error;
    const kept = await this.kept(meta, attempt);
    if (kept.kind === 'none') throw error;
    return kept;
  }
}

/** The parameters a payment was created with, compared without the CVC (which is never kept). */
function isSameRequest(payment: Payment, { request, fingerprint }: CreateAttempt): boolean {
  const { card } = payment.paymentMethod;
  return (
    isDeepStrictEqual(payment.amount, request.amount) &&
    card.fingerprint === fingerprint &&
    card.expMonth === request.card.expMonth &&
    card.expYear === request.card.expYear &&
    payment.customerId === request.customerId &&
    payment.captureMethod === request.captureMethod &&
    isDeepStrictEqual(payment.metadata, request.metadata)
  );
}
