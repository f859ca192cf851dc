import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Every public event the dispatcher has taken in, once per event id however often Kafka redelivers. */
@Entity({ name: 'received_events' })
export class ReceivedEventEntity {
  @PrimaryColumn({ name: 'event_id', type: 'text' })
  eventId!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @Column({ type: 'jsonb' })
  envelope!: Record<string, unknown>;

  /** The record's value as received: the webhook body, signed byte for byte. */
  @Column({ type: 'text' })
  body!: string;

  /** The W3C trace context of its intake, when tracing was on; its delivery attempts continue it. */
  @Column({ type: 'text', nullable: true })
  traceparent!: string | null;

  @Column({ type: 'text', nullable: true })
  tracestate!: string | null;

  /** When the event happened: the envelope's `created_at` (GET /v2/events orders by it). */
  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'received_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  receivedAt!: Date;
}
