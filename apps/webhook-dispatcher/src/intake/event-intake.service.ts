import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { EventConsumer, type ConsumedRecord, kafkaConnection } from '@finfusion/kafka';
import { Readiness } from '@finfusion/runtime';
import { DispatcherConfig } from '../config';
import { DeliveryWorker } from '../sending/delivery.worker';
import { EventRecorder } from './event-recorder';

/** Where intake reads: the event topics, as the dispatcher's consumer group. */
export class IntakeSource {
  constructor(
    readonly topics: string[],
    readonly groupId: string,
  ) {}
}

/** Takes in every public event from the event topics; delivery works from what is recorded here. */
@Injectable()
export class EventIntakeService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: EventConsumer;

  constructor(
    config: DispatcherConfig,
    readiness: Readiness,
    private readonly logger: PinoLogger,
    private readonly recorder: EventRecorder,
    private readonly worker: DeliveryWorker,
    source: IntakeSource,
  ) {
    this.logger.setContext('EventIntake');
    this.consumer = new EventConsumer({
      ...kafkaConnection(config),
      clientId: 'webhook-dispatcher',
      groupId: source.groupId,
      topics: source.topics,
      logger: this.logger.logger,
      handle: (record) => this.receive(record),
      handleBatch: (records) => this.receiveBatch(records),
    });
    readiness.register({ name: 'kafka-events', check: () => this.consumer.readiness.check().ok });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  private async receiveBatch(records: ConsumedRecord[]): Promise<void> {
    const deliveries = await this.recorder.recordBatch(records);
    if (deliveries > 0) this.worker.wake();
    this.logger.debug({ events: records.length, deliveries }, 'events received');
  }

  private async receive(record: ConsumedRecord): Promise<void> {
    const { event, deliveries } = await this.recorder.record(record);
    if (deliveries > 0) this.worker.wake();
    this.logger.debug(
      { event_id: event.id, type: event.type, merchant_id: event.merchant_id, deliveries },
      'event received',
    );
  }
}
