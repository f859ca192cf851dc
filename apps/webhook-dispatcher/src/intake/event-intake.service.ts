import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { EventConsumer, type ConsumedRecord, kafkaConnection } from '@finfusion/kafka';
import { Readiness } from '@finfusion/runtime';
import {
  endSpan,
  MessagingAttributes,
  spanTraceContext,
  startKafkaProcess,
  tracingOn,
  type Span,
  type TraceContext,
} from '@finfusion/tracing';
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
  private readonly spanAttributes: Record<string, string>;

  constructor(
    config: DispatcherConfig,
    readiness: Readiness,
    private readonly logger: PinoLogger,
    private readonly recorder: EventRecorder,
    private readonly worker: DeliveryWorker,
    source: IntakeSource,
  ) {
    this.logger.setContext('EventIntake');
    this.spanAttributes = { [MessagingAttributes.consumerGroup]: source.groupId };
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
    const spans = tracingOn() ? this.startSpans(records) : undefined;
    let deliveries: number;
    try {
      deliveries = await this.recorder.recordBatch(records, spans?.traces);
    } catch (error) {
      spans?.end(error);
      throw error;
    }
    spans?.end();
    if (deliveries > 0) this.worker.wake();
    this.logger.debug({ events: records.length, deliveries }, 'events received');
  }

  private async receive(record: ConsumedRecord): Promise<void> {
    const spans = tracingOn() ? this.startSpans([record]) : undefined;
    let received: Awaited<ReturnType<EventRecorder['record']>>;
    try {
      received = await this.recorder.record(record, spans?.traces.get(record));
    } catch (error) {
      spans?.end(error);
      throw error;
    }
    spans?.end();
    const { event, deliveries } = received;
    if (deliveries > 0) this.worker.wake();
    this.logger.debug(
      { event_id: event.id, type: event.type, merchant_id: event.merchant_id, deliveries },
      'event received',
    );
  }

  /**
   * One consumer span per record, child of the relay's send span its headers name; its context is
   * kept with the event, so every delivery attempt of the event continues the trace.
   */
  private startSpans(records: ConsumedRecord[]): IntakeSpans {
    const spans: Span[] = [];
    const traces = new Map<ConsumedRecord, TraceContext>();
    for (const record of records) {
      const span = startKafkaProcess(record, this.spanAttributes);
      if (span === undefined) continue;
      spans.push(span);
      const trace = spanTraceContext(span);
      if (trace) traces.set(record, trace);
    }
    return {
      traces,
      end: (error?: unknown) => {
        for (const span of spans) endSpan(span, error);
      },
    };
  }
}

interface IntakeSpans {
  traces: ReadonlyMap<ConsumedRecord, TraceContext>;
  end(error?: unknown): void;
}
