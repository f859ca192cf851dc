import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PublicEventType, WebhookDeliveryStatus } from '@finfusion/contracts';
import type { DeliveryState } from './domain/delivery';

// Property names are the column names: list pagination orders by `created_at` and `id`.
@Entity({ name: 'deliveries' })
export class DeliveryEntity implements DeliveryState {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  merchant_id!: string;

  @Column({ type: 'text' })
  endpoint_id!: string;

  @Column({ type: 'text' })
  event_id!: string;

  @Column({ type: 'text' })
  event_type!: PublicEventType;

  @Column({ type: 'text' })
  status!: WebhookDeliveryStatus;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ type: 'integer' })
  max_attempts!: number;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  next_attempt_at!: Date | null;

  /** While in the future, one worker holds the delivery (see DeliveryRepository.claim). */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  lease_until!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  lease_token!: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  last_attempted_at!: Date | null;

  @Column({ type: 'integer', nullable: true })
  last_http_status!: number | null;

  @Column({ type: 'integer', nullable: true })
  last_duration_ms!: number | null;

  @Column({ type: 'text', nullable: true })
  last_error!: string | null;

  @Column({ type: 'timestamptz', precision: 3 })
  created_at!: Date;

  @Column({ type: 'timestamptz', precision: 3 })
  updated_at!: Date;
}
