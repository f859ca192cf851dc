import { Column, Entity, PrimaryColumn } from 'typeorm';
import type {
  Metadata,
  WebhookDisabledReason,
  WebhookEndpointStatus,
  WebhookEventSelector,
} from '@finfusion/contracts';
import type { EndpointState } from './domain/endpoint';

// Property names are the column names: list pagination orders by `created_at` and `id`.
@Entity({ name: 'endpoints' })
export class EndpointEntity implements EndpointState {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  merchant_id!: string;

  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'text', array: true })
  events!: WebhookEventSelector[];

  @Column({ type: 'text' })
  status!: WebhookEndpointStatus;

  @Column({ type: 'text', nullable: true })
  disabled_reason!: WebhookDisabledReason | null;

  @Column({ type: 'jsonb' })
  metadata!: Metadata;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  failing_since!: Date | null;

  @Column({ type: 'text', nullable: true })
  idempotency_key!: string | null;

  @Column({ type: 'timestamptz', precision: 3 })
  created_at!: Date;

  @Column({ type: 'timestamptz', precision: 3 })
  updated_at!: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  deleted_at!: Date | null;
}
