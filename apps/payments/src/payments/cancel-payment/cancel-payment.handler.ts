import { Logger } from '@nestjs/common';
import { ok, RequestTopics, type ServiceRequest } from '@finfusion/contracts';
import { eventMetadata } from '@finfusion/event-store';
import { Clock, HandlesRequest } from '@finfusion/runtime';
import { Acquirer } from '../acquirer/acquirer';
import { isPayment } from '../domain/payment';
import { decide, PaymentCommandRejected, type CancelPayment } from '../domain/payment.decider';
import { PaymentActions, PaymentErrors } from '../payment.errors';
import { toPaymentResource } from '../payment.resource';
import { PaymentStore } from '../payment.store';
import { parseCancelPayment } from './cancel-payment.request';

/** A cancellation that lost a race is decided again on the stream read anew, this many times. */
const RETRIES = 3;

/**
 * payments.cancel: decide on the payment's stream first (a payment that cannot be canceled is
 * refused before the acquirer hears of it), void the authorization at the acquirer, then append
 * PaymentCanceled at the version decided on. 200 with the payment, `canceled`. When a capture
 * reached the acquirer first, the authorization stays captured and the cancellation is refused.
 */
@HandlesRequest(RequestTopics.payments.cancel)
export class CancelPaymentHandler {
  private readonly logger = new Logger(CancelPaymentHandler.name);

  constructor(
    private readonly payments: PaymentStore,
    private readonly acquirer: Acquirer,
    private readonly clock: Clock,
  ) {}

  async handle({ meta, payload }: ServiceRequest<unknown>) {
    const read = parseCancelPayment(payload);
    if (!read.ok) return read.reply;
    const { paymentId, reason } = read.value;
    const loaded = await this.payments.loadOwned(meta.merchantId, paymentId);
    if (loaded === null) return PaymentErrors.noSuchPayment(PaymentActions.cancel);
    const command = (): CancelPayment => ({
      type: 'CancelPayment',
      data: { paymentId, ...(reason !== undefined && { reason }), now: this.clock.now() },
    });
    try {
      decide(command(), loaded.state);
      const end = await this.acquirer.void(paymentId);
      if (end.kind === 'captured') {
        // The capture that came first records itself.
        throw new PaymentCommandRejected('payment_unexpected_state', paymentId, {
          status: 'succeeded',
        });
      }
      const canceled = await this.payments.handleCommand(
        paymentId,
        (state) => decide(command(), state),
        { from: loaded, metadata: eventMetadata(meta), retries: RETRIES },
      );
      if (!isPayment(canceled.state)) throw new Error('a canceled payment has no state');
      this.logger.log({ payment_id: paymentId, reason: reason ?? null }, 'payment canceled');
      return ok(toPaymentResource(canceled.state));
    } catch (error) {
      if (!(error instanceof PaymentCommandRejected)) throw error;
      this.logger.log({ payment_id: paymentId, reason: error.reason }, 'cancellation refused');
      const now = await this.payments.loadOwned(meta.merchantId, paymentId);
      return PaymentErrors.commandRejected(
        error,
        PaymentActions.cancel,
        now && toPaymentResource(now.state),
      );
    }
  }
}
