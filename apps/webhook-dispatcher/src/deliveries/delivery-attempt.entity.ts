import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AttemptState } from './domain/delivery';

@Entity({ name: 'delivery_attempts' })
export class DeliveryAttemptEntity implements AttemptState {
  @PrimaryColumn({ type: 'text' })
  delivery_id!: string;

  @PrimaryColumn({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'timestamptz', precision: 3 })
  attempted_at!: Date;

  @Column({ type: 'text' })
  outcome!: 'succeeded' | 'failed';

  @Column({ type: 'integer', nullable: true })
  http_status!: number | null;

  @Column({ type: 'integer' })
  duration_ms!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
