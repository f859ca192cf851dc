import { Logger } from '@nestjs/common';
import { ok, RequestTopics, type ServiceRequest } from '@finfusion/contracts';
import { eventMetadata } from '@finfusion/event-store';
import { Clock, HandlesRequest } from '@finfusion/runtime';
import { Acquirer } from '../acquirer/acquirer';
import { isPayment } from '../domain/payment';
import { decide, PaymentCommandRejected, type CapturePayment } from '../domain/payment.decider';
import { PaymentActions, PaymentErrors } from '../payment.errors';
import { toPaymentResource } from '../payment.resource';
import { PaymentStore } from '../payment.store';
import { parseCapturePayment } from './capture-payment.request';

/** A capture that lost a race is decided again on the stream read anew, this many times. */
const RETRIES = 3;

/**
 * payments.capture: decide on the payment's stream first (a payment that cannot be captured is
 * refused before the acquirer hears of it), capture at the acquirer, then append PaymentCaptured
 * at the version decided on. 200 with the payment, `succeeded`.
 *
 * The acquirer keeps one end per authorization: a capture and a void racing (a cancellation, or
 * the expiry) are settled there, and the loser is refused. Of two captures the acquirer answers
 * both with the first one's amount: one asking another amount is refused, and one asking the same
 * is answered with the captured payment, whichever of them appended.
 */
@HandlesRequest(RequestTopics.payments.capture)
export class CapturePaymentHandler {
  private readonly logger = new Logger(CapturePaymentHandler.name);

  constructor(
    private readonly payments: PaymentStore,
    private readonly acquirer: Acquirer,
    private readonly clock: Clock,
  ) {}

  async handle({ meta, payload }: ServiceRequest<unknown>) {
    const read = parseCapturePayment(payload);
    if (!read.ok) return read.reply;
    const { paymentId, amountToCapture } = read.value;
    const loaded = await this.payments.loadOwned(meta.merchantId, paymentId);
    if (loaded === null) return PaymentErrors.noSuchPayment(PaymentActions.capture);
    const command = (amount: number | undefined): CapturePayment => ({
      type: 'CapturePayment',
      data: {
        paymentId,
        ...(amount !== undefined && { amountToCapture: amount }),
        now: this.clock.now(),
      },
    });
    try {
      const [asked] = decide(command(amountToCapture), loaded.state);
      if (asked?.type !== 'PaymentCaptured')
        throw new Error('a capture decided no PaymentCaptured');
      const { amount } = asked.data;
      const end = await this.acquirer.capture(paymentId, amount);
      if (end.kind === 'voided' || end.amount !== amount) {
        // Another request settled the authorization first: it records what it did.
        const status = end.kind === 'voided' ? 'canceled' : 'succeeded';
        throw new PaymentCommandRejected('payment_unexpected_state', paymentId, { status });
      }
      const captured = await this.payments
        .handleCommand(paymentId, (state) => decide(command(amount), state), {
          from: loaded,
          metadata: eventMetadata(meta),
          retries: RETRIES,
        })
        .catch(async (error: unknown) => {
          // The acquirer made this capture, and another writer (the authorization expiry, which
          // records a capture it finds at the acquirer) recorded it first: it is still this one.
          const now = await this.payments.loadOwned(meta.merchantId, paymentId);
          if (now?.state.status === 'succeeded' && now.state.amountCaptured === amount) return now;
          throw error;
        });
      if (!isPayment(captured.state)) throw new Error('a captured payment has no state');
      this.logger.log({ payment_id: paymentId, amount }, 'payment captured');
      return ok(toPaymentResource(captured.state));
    } catch (error) {
      if (!(error instanceof PaymentCommandRejected)) throw error;
      this.logger.log({ payment_id: paymentId, reason: error.reason }, 'capture refused');
      const now = await this.payments.loadOwned(meta.merchantId, paymentId);
      return PaymentErrors.commandRejected(
        error,
        PaymentActions.capture,
        now && toPaymentResource(now.state),
      );
    }
  }
}
