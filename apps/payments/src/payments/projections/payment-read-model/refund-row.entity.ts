import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Metadata, RefundFailureCode, RefundReason, RefundStatus } from '@finfusion/contracts';

// Property names are the column names: list pagination orders by `created_at` and `id`.
@Entity({ name: 'refunds' })
export class RefundRow {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  payment_id!: string;

  @Column({ type: 'text' })
  merchant_id!: string;

  @Column({ type: 'text' })
  status!: RefundStatus;

  @Column({ type: 'integer' })
  amount_value!: number;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'text', nullable: true })
  reason!: RefundReason | null;

  @Column({ type: 'text', nullable: true })
  failure_code!: RefundFailureCode | null;

  @Column({ type: 'text', nullable: true })
  failure_message!: string | null;

  @Column({ type: 'jsonb' })
  metadata!: Metadata;

  @Column({ type: 'timestamptz', precision: 3 })
  created_at!: Date;

  @Column({ type: 'timestamptz', precision: 3 })
  updated_at!: Date;

  /** The payment stream's version the row reflects; a write of an older version is ignored. */
  @Column({ type: 'integer' })
  version!: number;
}
