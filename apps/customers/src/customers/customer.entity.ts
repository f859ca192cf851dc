import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Metadata } from '@finfusion/contracts';
import type { CustomerState } from './domain/customer';

// Property names are the column names: list pagination orders by `created_at` and `id`.
@Entity({ name: 'customers' })
export class CustomerEntity implements CustomerState {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  merchant_id!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ type: 'jsonb' })
  metadata!: Metadata;

  @Column({ type: 'text', nullable: true })
  idempotency_key!: string | null;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'timestamptz', precision: 3 })
  created_at!: Date;

  @Column({ type: 'timestamptz', precision: 3 })
  updated_at!: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  deleted_at!: Date | null;
}
