import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { EventTopics } from '@finfusion/contracts';
import { EventStore, LogSubscription, type StoredEvent } from '@finfusion/event-store';
import { KeyedPublisher } from '@finfusion/kafka';
import { PaymentsConfig } from '../../config';
import { structured } from '../../logging';
import { toKafkaRecord, toPublicEvents } from './payment-event.mapper';

/** The checkpoint name: one relay at a time advances it, whatever the number of replicas. */
export const PAYMENTS_RELAY = 'payments-kafka-relay';

/**
 * Publishes the payments event log to `payments.payment.events`, at least once, in log order, so
 * in stream order per payment. It reads only committed events (the log is the outbox); the
 * checkpoint advances in the transaction that follows a successful send, so a crash in between
 * republishes that batch with the same event ids rather than losing it. Lag: the event store's
 * `event_subscription_lag_events{subscription="payments-kafka-relay"}` gauge on /metrics.
 */
@Injectable()
export class PaymentEventsRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PaymentEventsRelay.name);
  private readonly publisher: KeyedPublisher;
  private readonly subscription: LogSubscription;
  private connected = false;

  constructor(
    dataSource: DataSource,
    private readonly store: EventStore,
    config: PaymentsConfig,
  ) {
    const log = structured(this.logger);
    this.publisher = new KeyedPublisher(
      { brokers: config.KAFKA_BROKERS, clientId: 'payments-relay' },
      log,
    );
    this.subscription = new LogSubscription({
      name: PAYMENTS_RELAY,
      dataSource,
      store,
      logger: log,
      batchSize: config.RELAY_BATCH_SIZE,
      pollIntervalMs: config.RELAY_POLL_MS,
      retryDelayMs: config.RELAY_RETRY_MS,
      handle: (events, manager) => this.publish(events, manager),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  // Before the data source closes (TypeORM closes it at application shutdown, after this hook).
  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  async start(): Promise<void> {
    await this.connect();
    this.subscription.start();
  }

  async stop(): Promise<void> {
    await this.subscription.stop();
    if (this.connected) await this.publisher.disconnect();
    this.connected = false;
  }

  /** Publishes everything committed so far, then returns; for commands and tests. */
  async catchUp(): Promise<void> {
    await this.connect();
    await this.subscription.catchUp();
  }

  /** Committed events not yet published. */
  lag(): Promise<number> {
    return this.subscription.lag();
  }

  private async connect(): Promise<void> {
    if (this.connected) return;
    await this.publisher.connect();
    this.connected = true;
  }

  private async publish(events: StoredEvent[], manager: EntityManager): Promise<void> {
    // data.object is the payment after each event: fold each stream of the batch from its start.
    const envelopes = new Map<string, ReturnType<typeof toPublicEvents>[number]>();
    for (const streamId of new Set(events.map((event) => event.streamId))) {
      const history = await this.store.readStream(manager, streamId);
      for (const [i, envelope] of toPublicEvents(history).entries()) {
        const stored = history[i];
        if (stored) envelopes.set(stored.eventId, envelope);
      }
    }
    const records = events.map((stored) => {
      const envelope = envelopes.get(stored.eventId);
      if (!envelope) throw new Error(`event ${stored.eventId} is missing from its stream`);
      return toKafkaRecord(envelope, stored);
    });
    await this.publisher.publish(EventTopics.payments, records);
    this.logger.debug(
      { published: records.length, last_position: events.at(-1)?.globalPosition },
      'payment events published',
    );
  }
}
