import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { newId, type RequestMeta } from '@finfusion/contracts';
import { EventStore, type EventMetadata, type RowWrite } from '@finfusion/event-store';
import { fold, initialState, isPayment, type PaymentState } from './domain/payment';
import {
  PAYMENT_EVENT_SCHEMA_VERSION,
  toPaymentEvent,
  type PaymentEvent,
} from './domain/payment.events';
import { PaymentReadModel } from './projections/payment-read-model/payment-read-model';

/** A stream as read: its state and the version that state is at. */
export interface LoadedPayment {
  state: PaymentState;
  version: number;
}

export const NEW_STREAM: LoadedPayment = { state: initialState, version: 0 };

export const eventMetadata = (meta: RequestMeta): EventMetadata => ({
  merchantId: meta.merchantId,
  requestId: meta.requestId,
  correlationId: meta.correlationId,
  ...(meta.idempotencyKey !== undefined && { idempotencyKey: meta.idempotencyKey }),
});

/**
 * Payment streams in the event log, with the `payments` read model kept in step: every append
 * writes the new state's row through the same transaction.
 */
@Injectable()
export class PaymentStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventStore,
    private readonly readModel: PaymentReadModel,
  ) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async load(manager: EntityManager, paymentId: string): Promise<LoadedPayment> {
    const history = await this.events.readStream(manager, paymentId);
    return {
      state: fold(history.map((e) => toPaymentEvent(e.type, e.schemaVersion, e.data))),
      version: history.at(-1)?.streamVersion ?? 0,
    };
  }

  /**
   * Appends events decided on `from` at the next versions (ConcurrencyError if the stream has
   * moved on) and stores the resulting row, with the `alongside` rows, in one SQL statement:
   * atomic on its own, or part of the caller's transaction when `manager` is one's.
   */
  async append(
    manager: EntityManager,
    paymentId: string,
    from: LoadedPayment,
    events: PaymentEvent[],
    metadata: EventMetadata,
    alongside: RowWrite[] = [],
  ): Promise<LoadedPayment> {
    if (events.length === 0) return from;
    const next = { state: fold(events, from.state), version: from.version + events.length };
    const row = isPayment(next.state)
      ? [this.readModel.rowWrite(manager, next.state, next.version)]
      : [];
    await this.events.append(
      manager,
      paymentId,
      from.version,
      events.map((event) => ({
        eventId: newId('evt'),
        type: event.type,
        schemaVersion: PAYMENT_EVENT_SCHEMA_VERSION,
        data: event.data,
        metadata,
      })),
      [...alongside, ...row],
    );
    return next;
  }
}
