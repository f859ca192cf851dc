import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { EventTopics, PublicEventTypes, type PublicEvent } from '@finfusion/contracts';
import { EventConsumer, type ConsumedRecord } from '@finfusion/kafka';
import { Readiness } from '@finfusion/runtime';
import { DispatcherConfig } from '../config';

/** Takes in every public event from the event topics; delivery works from what is recorded here. */
@Injectable()
export class EventIntakeService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: EventConsumer;

  constructor(
    config: DispatcherConfig,
    readiness: Readiness,
    private readonly logger: PinoLogger,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.logger.setContext('EventIntake');
    this.consumer = new EventConsumer({
      brokers: config.KAFKA_BROKERS,
      clientId: 'webhook-dispatcher',
      groupId: 'webhook-dispatcher',
      topics: Object.values(EventTopics),
      logger: this.logger.logger,
      handle: (record) => this.receive(record),
    });
    readiness.register({ name: 'kafka-events', check: () => this.consumer.readiness.check().ok });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  private async receive(record: ConsumedRecord): Promise<void> {
    const event = parseEnvelope(record.value);
    await this.dataSource.query(
      `INSERT INTO webhooks.received_events (event_id, topic, event_type, merchant_id, envelope)
       VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT (event_id) DO NOTHING`,
      [event.id, record.topic, event.type, event.merchant_id, record.value],
    );
    this.logger.debug(
      { event_id: event.id, type: event.type, merchant_id: event.merchant_id },
      'event received',
    );
  }
}

function parseEnvelope(value: string | null): PublicEvent {
  const parsed: unknown = JSON.parse(value ?? 'null');
  const event = parsed as Partial<PublicEvent> | null;
  if (
    typeof event?.id !== 'string' ||
    typeof event.merchant_id !== 'string' ||
    !PublicEventTypes.includes(event.type as PublicEvent['type'])
  ) {
    throw new Error('record is not a public event envelope');
  }
  return event as PublicEvent;
}
