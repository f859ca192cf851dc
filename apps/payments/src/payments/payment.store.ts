import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  ConcurrencyError,
  EventSourcedStreams,
  EventStore,
  type CommandOptions,
  type Decide,
  type StreamState,
} from '@finfusion/event-store';
import { evolve, initialState, isPayment, type Payment, type PaymentState } from './domain/payment';
import {
  PAYMENT_EVENT_SCHEMA_VERSION,
  toPaymentEvent,
  type PaymentEvent,
} from './domain/payment.events';
import { PaymentReadModel } from './projections/payment-read-model/payment-read-model';

/** A payment stream as read: its state and the version that state is at. */
export type LoadedPayment = StreamState<PaymentState>;

/** A stream that holds a payment. */
export type LoadedExistingPayment = StreamState<Payment>;

/** Decisions a contended command makes at most, the first included. */
const CONTENDED_ATTEMPTS = 200;
/** The longest pause between two of them, in milliseconds. */
const CONTENDED_MAX_PAUSE_MS = 25;

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

  /** The payment's stream, if it holds a payment of this merchant: another's is as absent. */
  async loadOwned(merchantId: string, paymentId: string): Promise<LoadedExistingPayment | null> {
    const { state, version } = await this.load(this.manager, paymentId);
    return isPayment(state) && state.merchantId === merchantId ? { state, version } : null;
  }

  /**
   * `handleCommand` for a stream that many requests write at once (a payment's refunds): a
   * decision that lost the race is made again on the stream read anew, after a short random
   * pause that spreads the writers out, until it is appended or refused. Bounded, but far above
   * what a burst of concurrent requests for one payment needs.
   */
  async handleContended(
    paymentId: string,
    decide: Decide<PaymentState, PaymentEvent>,
    options: Omit<CommandOptions<PaymentState>, 'retries' | 'manager'>,
  ): Promise<LoadedPayment> {
    let from = options.from;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.handleCommand(paymentId, decide, { ...options, from, retries: 0 });
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= CONTENDED_ATTEMPTS) throw error;
        from = undefined;
        await sleep(randomInt(Math.min(2 ** attempt, CONTENDED_MAX_PAUSE_MS) + 1));
      }
    }
  }
}
