import type { DataSource, EntityManager } from 'typeorm';
import type { EventStore, StoredEvent } from './event-store';
import { LogSubscription, type SubscriptionLogger } from './subscription';
import type { NotificationSource } from './notifications';

/** Where a relay sends its records; a Kafka producer in the apps. */
export interface RecordPublisher<R> {
  /** Resolves once the broker has acknowledged every record; rejects otherwise. */
  publish(topic: string, records: R[]): Promise<void>;
  connect?(): Promise<void>;
  disconnect?(): Promise<void>;
}

export interface RelayOptions<R> {
  /** The checkpoint name: one relay at a time advances it, whatever the number of replicas. */
  name: string;
  topic: string;
  dataSource: DataSource;
  store: EventStore;
  publisher: RecordPublisher<R>;
  /** The records of a batch, in the batch's order; runs in the batch's transaction. */
  toRecords: (events: StoredEvent[], manager: EntityManager) => R[] | Promise<R[]>;
  logger: SubscriptionLogger;
  batchSize?: number;
  /** The safety poll; commits wake the relay at once (see LogSubscription). */
  pollIntervalMs?: number;
  retryDelayMs?: number;
  notifications?: NotificationSource | false;
}

/**
 * Publishes an event log to a topic, at least once, in log order (so in stream order per key).
 * It reads only committed events (the log is the outbox); the checkpoint advances in the
 * transaction that follows a successful send, so a crash in between republishes that batch with
 * the same event ids rather than losing it. Lag: the `event_subscription_lag_events` gauge.
 */
export class EventRelay<R> {
  private readonly subscription: LogSubscription;
  private connected = false;

  constructor(private readonly relay: RelayOptions<R>) {
    this.subscription = new LogSubscription({
      name: relay.name,
      dataSource: relay.dataSource,
      store: relay.store,
      logger: relay.logger,
      batchSize: relay.batchSize,
      pollIntervalMs: relay.pollIntervalMs,
      retryDelayMs: relay.retryDelayMs,
      notifications: relay.notifications,
      handle: (events, manager) => this.publish(events, manager),
    });
  }

  async start(): Promise<void> {
    await this.connect();
    this.subscription.start();
  }

  /** Waits for the batch in flight, then lets the publisher go. */
  async stop(): Promise<void> {
    await this.subscription.stop();
    if (this.connected) await this.relay.publisher.disconnect?.();
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
    await this.relay.publisher.connect?.();
    this.connected = true;
  }

  private async publish(events: StoredEvent[], manager: EntityManager): Promise<void> {
    const records = await this.relay.toRecords(events, manager);
    await this.relay.publisher.publish(this.relay.topic, records);
    this.relay.logger.debug(
      {
        subscription: this.relay.name,
        published: records.length,
        last_position: events.at(-1)?.globalPosition,
      },
      'events published',
    );
  }
}
