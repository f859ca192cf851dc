import { DataSource } from 'typeorm';
import {
  ok,
  RequestTopics,
  type GetPaymentEventsPayload,
  type ServiceRequest,
} from '@finfusion/contracts';
import { EventStore } from '@finfusion/event-store';
import { HandlesRequest } from '@finfusion/runtime';
import { PaymentErrors } from '../payment.errors';
import { toPublicEvents } from '../publishing/payment-event.mapper';

/**
 * payments.events: the payment's whole stream from the log, oldest first, each event in the
 * envelope the relay publishes (the same ids and sequences a webhook receiver saw).
 */
@HandlesRequest(RequestTopics.payments.events)
export class GetPaymentEventsHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
  ) {}

  async handle({ meta, payload }: ServiceRequest<Partial<GetPaymentEventsPayload> | undefined>) {
    const id = typeof payload?.id === 'string' ? payload.id : '';
    const history = id === '' ? [] : await this.store.readStream(this.dataSource.manager, id);
    const events = toPublicEvents(history);
    // The log is not scoped by merchant: another merchant's stream answers as if absent.
    if (events.length === 0 || events[0]?.merchant_id !== meta.merchantId) {
      return PaymentErrors.paymentNotFound();
    }
    return ok({ object: 'list' as const, data: events, has_more: false });
  }
}
