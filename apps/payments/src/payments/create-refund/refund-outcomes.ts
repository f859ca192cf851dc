import { Injectable, Logger } from '@nestjs/common';
import { ConcurrencyError, type EventMetadata } from '@finfusion/event-store';
import { Clock } from '@finfusion/runtime';
import { Acquirer } from '../acquirer/acquirer';
import { isPayment } from '../domain/payment';
import { decide, type RefundResult } from '../domain/payment.decider';
import { PaymentStore, type LoadedExistingPayment } from '../payment.store';

/**
 * Completes a pending refund: asks the acquirer (the refund id is its reference, so asking again
 * never pays twice) and records its answer on the payment's stream. For the request that created
 * the refund, its retries, and the recovery of refunds left pending.
 */
@Injectable()
export class RefundOutcomes {
  private readonly logger = new Logger(RefundOutcomes.name);

  constructor(
    private readonly payments: PaymentStore,
    private readonly acquirer: Acquirer,
    private readonly clock: Clock,
  ) {}

  /**
   * The payment after the refund's outcome is recorded; as it was when the refund is not pending,
   * or when the acquirer gave no answer (the refund stays pending, and is asked about again later).
   */
  async complete(
    loaded: LoadedExistingPayment,
    refundId: string,
    metadata: EventMetadata,
  ): Promise<LoadedExistingPayment> {
    const payment = loaded.state;
    const refund = payment.refunds.find((r) => r.id === refundId);
    if (refund?.status !== 'pending') return loaded;
    let result: RefundResult;
    try {
      result = await this.acquirer.refund({
        paymentId: payment.id,
        refundId,
        amount: { value: refund.amount, currency: payment.amount.currency },
      });
    } catch (error) {
      this.logger.warn(
        { payment_id: payment.id, refund_id: refundId, err: describe(error) },
        'the acquirer gave no answer to a refund: it stays pending',
      );
      return loaded;
    }
    try {
      const recorded = await this.payments.handleContended(
        payment.id,
        (state) =>
          decide(
            {
              type: 'RecordRefundOutcome',
              data: { paymentId: payment.id, refundId, result, now: this.clock.now() },
            },
            state,
          ),
        { from: loaded, metadata },
      );
      if (!isPayment(recorded.state)) throw new Error('a refunded payment has no state');
      this.logger.log(
        { payment_id: payment.id, refund_id: refundId, succeeded: result.succeeded },
        'refund outcome recorded',
      );
      return { state: recorded.state, version: recorded.version };
    } catch (error) {
      // Out of attempts on a very busy stream: the answer is the acquirer's to give again.
      if (!(error instanceof ConcurrencyError)) throw error;
      this.logger.warn(
        { payment_id: payment.id, refund_id: refundId },
        'refund outcome not recorded yet',
      );
      return loaded;
    }
  }
}

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
