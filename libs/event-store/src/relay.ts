import type { EntityManager } from 'typeorm';
import { Gauge } from 'prom-client';
import {
  contextOf,
  MessagingAttributes,
  startKafkaSend,
  tracingOn,
  type KafkaSend,
} from '@finfusion/tracing';
import type { StoredEvent } from './event-store';
import { LogSubscription, PartialBatchError, type SubscriptionOptions } from './subscription';

/** Where a relay sends its records; a Kafka producer in the apps. */
export interface RecordPublisher<R> {
  /**
   * Resolves once the broker has acknowledged every record, in order; rejects otherwise. A
   * rejection may say how far it got: `published`, the number of leading records acknowledged,
   * and `recordTooLarge: true` when the next record is one the broker refuses for its size (a
   * retry cannot help until the broker's limit is raised).
   */
  publish(topic: string, records: R[]): Promise<void>;
  connect?(): Promise<void>;
  disconnect?(): Promise<void>;
}

/** A relay is a log subscription whose handler publishes each batch's records. */
export interface RelayOptions<R> extends Omit<SubscriptionOptions, 'handle'> {
  topic: string;
  publisher: RecordPublisher<R>;
  /** The records of a batch, in the batch's order; runs in the batch's transaction. */
  toRecords: (events: StoredEvent[], manager: EntityManager) => R[] | Promise<R[]>;
}

const stuckGauge = new Gauge({
  name: 'event_relay_stuck',
  help:
    'A relay cannot publish its next event because the broker refuses the record for its size ' +
    '(1): nothing after it is published until the topic accepts it.',
  labelNames: ['relay'],
});

/**
 * Publishes an event log to a topic, at least once, in log order (so in stream order per key).
 * It reads only committed events (the log is the outbox); the checkpoint advances in the
 * transaction that follows a successful send, so a crash in between republishes that batch with
 * the same event ids rather than losing it. Lag: the `event_subscription_lag_events` gauge.
 *
 * A failed publish is retried with a growing back-off (up to `maxRetryDelayMs`), never skipped:
 * skipping would break the order of that aggregate's events. A record the broker refuses for its
 * size stops the relay at that record (the ones before it are checkpointed); it is logged as an
 * error on every retry and raises `event_relay_stuck` until the topic's `max.message.bytes` is
 * raised.
 *
 * In a Nest application it starts once the application has booted and stops before the data
 * source closes (TypeORM closes it at shutdown, after `onModuleDestroy`).
 */
export class EventRelay<R> {
  private readonly subscription: LogSubscription;
  private connected = false;

  constructor(private readonly relay: RelayOptions<R>) {
    this.subscription = new LogSubscription({
      ...relay,
      handle: (events, manager) => this.publish(events, manager),
    });
  }

  async start(): Promise<void> {
    await this.connect();
    this.subscription.start();
  }

  onApplicationBootstrap(): Promise<void> {
    return this.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.stop();
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
    const sends = tracingOn() ? this.traceSends(events, records) : undefined;
    try {
      await this.relay.publisher.publish(this.relay.topic, records);
    } catch (error) {
      for (const send of sends ?? []) send.end(error);
      throw this.failed(error, events, records.length);
    }
    for (const send of sends ?? []) send.end();
    stuckGauge.set({ relay: this.relay.name }, 0);
    this.relay.logger.debug(
      {
        subscription: this.relay.name,
        published: records.length,
        last_position: events.at(-1)?.globalPosition,
      },
      'events published',
    );
  }

  /**
   * A producer span per event appended under a trace, child of the span that appended it, whose
   * context goes into the event record's headers for its consumers to continue.
   */
  private traceSends(events: StoredEvent[], records: R[]): KafkaSend[] {
    if (records.length !== events.length) return [];
    const sends: KafkaSend[] = [];
    events.forEach((event, i) => {
      const headers = (records[i] as { headers?: unknown } | undefined)?.headers;
      if (event.metadata.traceparent === undefined || typeof headers !== 'object' || !headers) {
        return;
      }
      const send = startKafkaSend(this.relay.topic, {
        parent: contextOf(event.metadata),
        attributes: { [MessagingAttributes.messageId]: event.eventId },
      });
      send?.inject(headers as Record<string, unknown>);
      if (send) sends.push(send);
    });
    return sends;
  }

  /** What the subscription should see of a failed publish. */
  private failed(error: unknown, events: StoredEvent[], records: number): unknown {
    const { published, recordTooLarge } = (error ?? {}) as {
      published?: unknown;
      recordTooLarge?: unknown;
    };
    // Progress maps onto events only while there is one record per event.
    const handled = typeof published === 'number' && records === events.length ? published : 0;
    if (recordTooLarge === true) {
      const blocked = events[handled];
      stuckGauge.set({ relay: this.relay.name }, 1);
      this.relay.logger.error(
        {
          subscription: this.relay.name,
          topic: this.relay.topic,
          event_id: blocked?.eventId,
          stream_id: blocked?.streamId,
          global_position: blocked?.globalPosition,
          err: { message: error instanceof Error ? error.message : String(error) },
        },
        'relay stuck: the broker refuses an event as too large; nothing after it is published ' +
          "until the topic's max.message.bytes is raised",
      );
    }
    return handled > 0 ? new PartialBatchError(handled, error) : error;
  }
}
