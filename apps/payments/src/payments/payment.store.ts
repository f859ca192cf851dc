import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventSourcedStreams, EventStore, type StreamState } from '@finfusion/event-store';
import { evolve, initialState, isPayment, type PaymentState } from './domain/payment';
import {
  PAYMENT_EVENT_SCHEMA_VERSION,
  toPaymentEvent,
  type PaymentEvent,
} from './domain/payment.events';
import { PaymentReadModel } from './projections/payment-read-model/payment-read-model';

/** A payment stream as read: its state and the version that state is at. */
export type LoadedPayment = StreamState<PaymentState>;

/**
 * Payment streams in the event log, with the `payments` read model kept in step: every append
 * writes the new state's row in the same statement.
 */
@Injectable()
export class PaymentStore extends EventSourcedStreams<PaymentState, PaymentEvent> {
  constructor(dataSource: DataSource, events: EventStore, readModel: PaymentReadModel) {
    super(dataSource, events, {
      initialState,
      evolve,
      read: (stored) => toPaymentEvent(stored.type, stored.schemaVersion, stored.data),
      schemaVersion: PAYMENT_EVENT_SCHEMA_VERSION,
      rowsFor: (manager, { state, version }) =>
        isPayment(state) ? readModel.rowWrites(manager, state, version) : [],
    });
  }
}
