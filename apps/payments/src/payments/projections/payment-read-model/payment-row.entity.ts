import { Column, Entity, PrimaryColumn } from 'typeorm';
import type {
  CancellationReason,
  CaptureMethod,
  CardBrand,
  DeclineCode,
  Metadata,
  PaymentFailureCode,
  PaymentStatus,
} from '@finfusion/contracts';
import type { Refund } from '../../domain/payment';

// Property names are the column names: list pagination orders by `created_at` and `id`.
@Entity({ name: 'payments' })
export class PaymentRow {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  merchant_id!: string;

  @Column({ type: 'text' })
  status!: PaymentStatus;

  @Column({ type: 'integer' })
  amount_value!: number;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'text' })
  payment_method_id!: string;

  @Column({ type: 'text' })
  card_brand!: CardBrand;

  @Column({ type: 'text' })
  card_last4!: string;

  @Column({ type: 'smallint' })
  card_exp_month!: number;

  @Column({ type: 'smallint' })
  card_exp_year!: number;

  @Column({ type: 'text' })
  card_fingerprint!: string;

  @Column({ type: 'text', nullable: true })
  customer_id!: string | null;

  @Column({ type: 'text', nullable: true })
  failure_code!: PaymentFailureCode | null;

  @Column({ type: 'text', nullable: true })
  failure_decline_code!: DeclineCode | null;

  @Column({ type: 'text', nullable: true })
  failure_message!: string | null;

  @Column({ type: 'jsonb' })
  metadata!: Metadata;

  @Column({ type: 'text' })
  capture_method!: CaptureMethod;

  @Column({ type: 'integer' })
  amount_captured!: number;

  /** What the succeeded refunds gave back: a column of its own for queries and reports. */
  @Column({ type: 'integer' })
  amount_refunded!: number;

  /** A manual payment's deadline for its capture, once authorized. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  capture_before!: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  canceled_at!: Date | null;

  @Column({ type: 'text', nullable: true })
  cancellation_reason!: CancellationReason | null;

  /** The payment's refunds as its events left them, oldest first (the refunds table lists them). */
  @Column({ type: 'jsonb' })
  refunds!: Refund[];

  @Column({ type: 'timestamptz', precision: 3 })
  created_at!: Date;

  @Column({ type: 'timestamptz', precision: 3 })
  updated_at!: Date;

  /** The stream version the row reflects; a write of an older version is ignored. */
  @Column({ type: 'integer' })
  version!: number;
}
